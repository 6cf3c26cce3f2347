// The drawing's rows (rows.js) as <g class="row"> groups in each layer. Rows out of view are taken
// out of the document (kept in memory): the browser then lays out and paints only what is on
// screen, and a changed number in a hidden row costs it nothing (display: none did not spare the
// SVG's layout). A row coming back into view is brought up to date by onShow(row group).
import { el } from './svg.js';

const MARGIN = 0.5; // of the stage's size, drawn beyond each edge so a pan rarely shows a gap

/** Creates the row groups of the layers and keeps their culling in step with the view. */
export function createRows(svg, layers, onShow) {
  const groups = new Map(); // "layer:row" -> <g>
  let bands = []; // row -> {y0, y1} in drawing units
  let view = null; // the visible rect in drawing units
  let culling = false;

  /** The group of `layer` for row r (made on first use, culled until the view says otherwise). */
  function group(layer, r) {
    const key = `${layer}:${r}`;
    if (!groups.has(key)) {
      const g = el('g', { class: 'circuit-row', 'data-row': r });
      groups.set(key, g);
      if (!outOfView(r)) layers[layer].appendChild(g); // a hidden row's elements are made off-document
    }
    return groups.get(key);
  }

  /** Moves an element into its row's group of a layer (if it is not there yet). */
  function put(layer, r, g) {
    const want = group(layer, r);
    if (g.parentNode !== want) want.appendChild(g);
  }

  /** A new drawing's row bands (rows beyond them are dropped), and whether it is big enough to cull.
   *  The rows are culled at the next view (gw-view) or cull(): the drawing's view comes next, and
   *  culling at the old one brought back rows of kept elements only to number them and drop them. */
  function setBands(rows, big) {
    bands = rows;
    culling = big;
    for (const [key, g] of groups) {
      if (Number(key.split(':')[1]) < rows.length) continue;
      g.remove();
      groups.delete(key);
    }
  }

  /** Culls the rows outside the view (a one-row drawing is never culled). */
  function cull() {
    for (const [key, g] of groups) {
      const out = outOfView(Number(key.split(':')[1]));
      if (out === !g.isConnected) continue;
      if (out) g.remove();
      else {
        layers[key.split(':')[0]].appendChild(g);
        onShow(g);
      }
    }
  }

  /** Whether row r lies outside the view (never in a one-row or small drawing). */
  function outOfView(r) {
    const b = bands[r];
    return Boolean(culling && view && b && bands.length > 1 && (b.y1 < view.y0 || b.y0 > view.y1));
  }

  /** Brings back the row of an element (a gate reached by the keyboard), returning the element. */
  function attach(g) {
    const row = g?.closest?.('.circuit-row');
    if (row && !row.isConnected) {
      for (const [key, r] of groups) if (r === row) layers[key.split(':')[0]].appendChild(row);
      onShow(row);
    }
    return g;
  }

  svg.addEventListener('gw-view', (ev) => {
    const { x, y, k, width, height } = ev.detail;
    const m = MARGIN * height;
    view = { y0: (-y - m) / k, y1: (height - y + m) / k, x0: -x / k, x1: (width - x) / k };
    cull();
  });
  /** Runs fn with every row in the document (an export clones the whole drawing), then culls. */
  function whole(fn) {
    for (const [key, g] of groups) if (!g.isConnected) layers[key.split(':')[0]].appendChild(g);
    try {
      return fn();
    } finally {
      cull();
    }
  }

  return { put, setBands, cull, attach, whole };
}
