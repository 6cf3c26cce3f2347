// The first view of a circuit: fit it when it is small enough to read whole, else frame its inputs
// (where the gradients that matter end up) at a readable scale. Pure: no DOM.

export const FIT_GATES = 40; // circuits up to about this many nodes are shown whole
export const MAX_FIT_K = 1.4; // never enlarge more than this
// The circuit's text keeps at least 11 px on screen down to this zoom (graph.css caps the counter-
// scaled size at 20 px, and 20 × 0.55 = 11); below it, a whole-circuit view would be unreadable.
export const READABLE_K = 0.55;
const FRAME_K = 0.85; // the zoom when only the inputs are framed
const PAD = 12;
const LEFT = 56; // room left of the inputs for their Σ totals and badges

/** The transform {k, x, y} and the mode ("fit" or "inputs") of a first view.
 *  stage: {width, height} in px; bounds: the drawing's size; gates: node count; inputs: input boxes
 *  {x, y, w, h} in drawing units; force: fit whatever the scale (the Fit button). */
export function firstView({ stage, bounds, gates, inputs, force = !inputs.length }) {
  const W = Math.max(1, stage.width);
  const H = Math.max(1, stage.height);
  const kFit = Math.min(MAX_FIT_K, (W - 2 * PAD) / bounds.width, (H - 2 * PAD) / bounds.height);
  if (force || (kFit >= READABLE_K && (gates <= FIT_GATES || kFit >= 1))) {
    const k = Math.max(1e-3, kFit); // Fit fits any graph (the zoom's range follows it, viewport.js)
    return { mode: 'fit', transform: { k, x: (W - bounds.width * k) / 2, y: (H - bounds.height * k) / 2 } };
  }
  const k = FRAME_K;
  const box = spanOf(inputs);
  const x = LEFT - box.x * k;
  const tall = box.h * k > H - 2 * PAD;
  const y = tall ? PAD - box.y * k : H / 2 - (box.y + box.h / 2) * k;
  return { mode: 'inputs', transform: { k, x, y } };
}

/** The bounding box of some boxes. */
export function spanOf(boxes) {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const r = Math.max(...boxes.map((b) => b.x + b.w));
  const b = Math.max(...boxes.map((b2) => b2.y + b2.h));
  return { x, y, w: r - x, h: b - y };
}
