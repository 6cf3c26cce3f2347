// Long main-thread work cut into pieces: a clock that says when the current piece has used its
// budget, and a pause that hands the page back (to input, timers and the browser's own rendering)
// before the next piece. Pure: no DOM (MessageChannel and performance exist in workers and Node).

/** Resolves in a task of its own: what was queued meanwhile (input, timers) runs first. A message,
 *  not setTimeout(0): nested timeouts are held back 4 ms each. */
export function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}

/** A slicer: due() once the current piece has run over `budget` ms; pause() waits (by `wait`), starts
 *  a new piece and resolves to alive() (false: the work was superseded meanwhile, stop). Without a
 *  budget (null) nothing is ever due: small work runs in one go, as before. adapt(piece, gap, budget),
 *  if given, sets the next piece's budget from the last piece's length and the wait after it. */
export function createSlicer({ budget = null, wait = nextTask, alive = () => true, now = () => performance.now(), adapt = null } = {}) {
  let since = now();
  const slicer = {
    pieces: 1,
    get budget() {
      return budget;
    },
    /** A new budget from the next check on (work of another kind starts: its cost is not known yet). */
    set budget(ms) {
      budget = ms;
    },
    due: () => budget !== null && now() - since > budget,
    async pause() {
      const end = now();
      const piece = end - since;
      await wait();
      since = now();
      if (adapt && budget !== null) budget = adapt(piece, since - end, budget);
      slicer.pieces += 1;
      return alive();
    },
    /** Starts a new piece without pausing (after waiting for something else, such as the worker). */
    restart() {
      since = now();
    },
    /** Pauses only if the piece is due; resolves to whether to go on. */
    async step() {
      return slicer.due() ? slicer.pause() : alive();
    },
  };
  return slicer;
}

/** An adapt rule for pieces that each end a frame: the browser styles, lays out and paints what a
 *  piece made after it, in the same frame, so the next piece gets the last one's share of its whole
 *  frame (the piece, then the wait for the next frame) scaled to `frame` ms, within [min, max]. It
 *  shrinks at once after a heavy frame but at most doubles after a light one (a light frame between
 *  heavy ones must not make the next piece long); the wait counts the display's idle time as the
 *  browser's, so it errs short. */
export function frameShare({ frame = 50, min = 3, max = 32 } = {}) {
  return (piece, gap) => Math.min(max, 2 * piece, Math.max(min, (frame * piece) / Math.max(1e-3, piece + gap)));
}

/** Maps items through fn, pausing between items whenever the piece is due; null if superseded. */
export async function mapSliced(items, fn, slicer) {
  const out = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && !(await slicer.step())) return null;
    out.push(fn(items[i], i));
  }
  return out;
}
