// Level of detail for the circuit's numbers: at the current zoom, which wire and Σ labels can be
// drawn without touching another text or a gate. The rest wait for a hover, a focus or a closer
// zoom. Pure: no DOM (the renderer measures a digit's width once and passes it in).

const SCALAR_CHARS = 8; // room kept for a scalar's number, so scrubbing rarely needs a new pass
const CELL = 64; // grid cell in drawing units, for the collision look-ups
const AIR = 1.5; // gap kept between texts

/** The font size in drawing units of the numbers at zoom k (graph.css: --fs-num). */
export function numberSize(k) {
  return Math.min(Math.max(12.5, 11.6 / Math.max(k, 1e-3)), 20);
}

/** The smaller texts' size (graph.css: --fs-small) and a gate name's (max(13px, --fs-small)). */
export function smallSize(k) {
  return Math.min(Math.max(11, 11.6 / Math.max(k, 1e-3)), 20);
}

/** A label's box at font size f: {x0, y0, x1, y1}. item: {x, y, chars, base: 'above'|'below'|'middle'}. */
export function labelBox(item, f, charW) {
  const w = Math.max(item.chars, item.scalar ? SCALAR_CHARS : 0) * charW * f;
  const top = item.base === 'above' ? item.y - 0.95 * f : item.base === 'below' ? item.y : item.y - 0.6 * f;
  return { x0: item.x - w / 2 - AIR, y0: top - AIR, x1: item.x + w / 2 + AIR, y1: top + 1.2 * f + AIR };
}

/** Ids of the items that fit, in priority order, beside the obstacles (boxes, always drawn) and each
 *  other. items: [{id, x, y, chars, base, scalar}], best first. */
export function fitLabels(items, obstacles, f, charW) {
  const grid = new Map();
  const add = (b) => cells(b, (key) => (grid.get(key) || grid.set(key, []).get(key)).push(b));
  for (const b of obstacles) add(b);
  const shown = new Set();
  for (const item of items) {
    const b = labelBox(item, f, charW);
    if (hits(grid, b)) continue;
    add(b);
    shown.add(item.id);
  }
  return shown;
}

/** Whether a box overlaps any box already in the grid. */
function hits(grid, b) {
  let hit = false;
  cells(b, (key) => {
    if (hit) return;
    for (const o of grid.get(key) || []) {
      if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) {
        hit = true;
        return;
      }
    }
  });
  return hit;
}

/** Calls fn with the key of every grid cell a box touches. */
function cells(b, fn) {
  for (let i = Math.floor(b.x0 / CELL); i <= Math.floor(b.x1 / CELL); i++) {
    for (let j = Math.floor(b.y0 / CELL); j <= Math.floor(b.y1 / CELL); j++) fn(`${i},${j}`);
  }
}
