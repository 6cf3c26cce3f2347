// A training run as a sequence of short POST /api/optimize requests ("chunks"), so the page can
// redraw between them and stop at any time. Each chunk sends the values and optimizer state the
// previous one returned, so chunked training equals one long run. Pure: the request function is
// passed in (fetch in the page, a fake in the unit tests).

/** Chunk sizes adding up to total: about `chunks` of them, each at least 1 and at most maxChunk. */
export function planChunks(total, chunks = 10, maxChunk = 5000) {
  if (total <= 0) return [];
  const size = Math.min(maxChunk, Math.max(1, Math.ceil(total / chunks)));
  const out = [];
  for (let left = total; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}

/** Random-start specs for the chosen tensor parameters: biases (names starting with b) at zero. */
export function initSpecs(shapes, params) {
  const out = {};
  for (const name of params) {
    const shape = shapes[name];
    if (!Array.isArray(shape) || !shape.length) continue;
    out[name] = { shape, dist: /^b/i.test(name) ? 'zeros' : 'normal' };
  }
  return out;
}

/** A fresh record of a run. */
export function emptyRun() {
  return { losses: [], steps: 0, trajectory: { steps: [], values: {} }, values: {}, state: null, lastStep: null, stopped: null };
}

/** Adds one chunk's answer to the run (trajectory steps shifted by the steps done before it). */
export function mergeChunk(run, res) {
  const offset = run.steps;
  const traj = res.trajectory || { steps: [], values: {} };
  const skipFirst = run.trajectory.steps.length > 0 ? 1 : 0; // a chunk's step 0 is the previous end
  run.trajectory.steps.push(...traj.steps.slice(skipFirst).map((s) => s + offset));
  for (const [name, vals] of Object.entries(traj.values || {})) {
    const into = (run.trajectory.values[name] ||= []);
    into.push(...vals.slice(into.length ? skipFirst : 0));
  }
  run.losses.push(...res.losses);
  run.steps += res.steps;
  run.values = { ...run.values, ...res.values };
  run.state = res.state;
  run.lastStep = res.last_step || run.lastStep;
  run.finalLoss = res.final_loss;
  run.params = res.params;
  run.data = res.data;
  if (res.stopped === 'diverged') run.stopped = 'diverged';
  if (res.stopped === 'time_budget') run.cut = true; // the server's time budget ended a chunk early
  return run;
}

/** Runs `request` (the POST /api/optimize body, with steps = the total) in chunks.
 *  post(body) -> Promise of the answer; onChunk(run) after each; shouldStop() is polled between
 *  chunks. The random start (init) is only sent with the first chunk. Resolves to the run. */
export async function train(request, { post, onChunk = () => {}, shouldStop = () => false, chunks = 10 }) {
  const run = emptyRun();
  let values = { ...request.values };
  for (const n of planChunks(request.steps, chunks)) {
    if (shouldStop()) {
      run.stopped = 'stopped';
      break;
    }
    const first = run.state === null;
    const body = { ...request, values, steps: n, state: run.state || undefined };
    if (!first) delete body.init;
    const res = await post(body);
    mergeChunk(run, res);
    values = { ...values, ...res.values };
    onChunk(run);
    if (run.stopped) break;
  }
  return run;
}
