// Keeping the page usable while it works: the busy indicator, and how long typing waits.

const BUSY_AFTER_MS = 200; // a request or layout that takes longer shows the busy indicator
const [TYPING_MIN_MS, TYPING_MAX_MS] = [100, 350]; // 100: a run of keys typed fast is one edit

/** The busy indicator (#busy, role=status) and aria-busy on the circuit: shown when the newest
 *  evaluation has run for BUSY_AFTER_MS, hidden when it ends. */
export function busyIndicator(views) {
  let timer = null;
  let owner = 0;
  const set = (on) => {
    if (views.busy) views.busy.hidden = !on;
    views.renderer?.svg?.setAttribute('aria-busy', String(on));
  };
  return {
    start(my) {
      owner = my;
      clearTimeout(timer);
      timer = setTimeout(() => owner === my && set(true), BUSY_AFTER_MS);
    },
    stop(my) {
      if (my !== owner) return;
      clearTimeout(timer);
      set(false);
    },
  };
}

/** The editor's delay after a keystroke: a share of what the last evaluation cost (ms), so a small
 *  circuit follows the typing at once and a big one is not redrawn for every letter. */
export function typingDelay(cost) {
  return Math.round(Math.min(TYPING_MAX_MS, Math.max(TYPING_MIN_MS, 0.4 * (cost ?? TYPING_MAX_MS))));
}
