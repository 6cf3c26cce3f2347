// Level of detail on the drawn circuit: after each layout and zoom step, the wire and Σ labels that
// would touch another text or a gate are hidden (class lod-hide); hovering or focusing a gate shows
// its wires' labels again. The choice is made in declutter.js.
import { fitLabels, numberSize, smallSize } from './declutter.js';
import { STUB_ID } from './layout.js';

/** Creates the level-of-detail pass over the renderer's element maps. */
export function createLod(svg, { nodes, edges, ghosts }) {
  let plan = null; // {items, elements, model, index}
  let k = 1;
  let charW = null;
  let hidden = new Set();
  const cache = new Map(); // font size -> shown ids (the layout is fixed between draws)

  /** Collects the labels of a new drawing (best first) and applies the current zoom, in a piece of
   *  the slicer's of its own if the collecting used up the current one; false if superseded. */
  async function build(index, model, slicer) {
    plan = collect(index, model, nodes, edges);
    cache.clear();
    if (slicer.due() && !(await slicer.pause())) return false;
    apply();
    return true;
  }

  /** Forgets the drawing's labels until the next build (zoom steps meanwhile decide nothing). */
  function forget() {
    plan = null;
  }

  /** Re-applies after numbers changed; only a label grown past its room needs a new pass. */
  function numbersChanged() {
    if (!plan) return;
    let grown = false;
    for (const it of plan.items) {
      const n = it.el.textContent.length;
      if (n > it.chars) {
        it.chars = n;
        grown = true;
      }
    }
    if (!grown) return;
    cache.clear();
    apply();
  }

  /** Hides what does not fit at zoom k (toggling only the labels whose fate changed). */
  function apply() {
    if (!plan) return;
    charW ??= measureDigit(svg);
    const f = numberSize(k);
    if (!cache.has(f)) cache.set(f, fitLabels(plan.items, obstacles(plan, smallSize(k)), f, charW));
    const shown = cache.get(f);
    const now = new Set();
    for (const it of plan.items) if (!shown.has(it.id)) now.add(it);
    for (const it of hidden) if (!now.has(it)) it.el.classList.remove('lod-hide');
    for (const it of now) if (!hidden.has(it)) it.el.classList.add('lod-hide');
    hidden = now;
  }

  /** Shows every label on the wires of a node (hover, focus), hiding the last one's again. */
  let revealed = [];
  function reveal(id) {
    for (const g of revealed) g.classList.remove('reveal');
    revealed = [];
    if (!plan || !id) return;
    const ids = [...(plan.index.inEdges.get(id) || []), ...(plan.index.outEdges.get(id) || [])].map((e) => e.id);
    if (id === plan.index.graph.output) ids.push(STUB_ID);
    revealed = [...ids.map((e) => edges.get(e)), nodes.get(id)].filter(Boolean);
    for (const g of revealed) g.classList.add('reveal');
  }

  svg.addEventListener('gw-zoom', (ev) => {
    k = ev.detail;
    apply();
  });
  return { build, forget, numbersChanged, reveal };
}

/** The label items of a drawing, best first: inputs' Σ totals, then every wire's value and
 *  gradient in program order, then the other Σ totals. */
function collect(index, model, nodes, edges) {
  const items = [];
  const sigma = (n) => {
    const box = model.nodes[n.id];
    const g = nodes.get(n.id);
    const el = g && (g.sigma ??= g.querySelector('.node-grad'));
    if (box && el?.textContent) items.push(item(`s:${n.id}`, el, box.x + box.w / 2, box.y + box.h + 11, 'middle'));
  };
  const inputs = index.graph.nodes.filter((n) => n.kind === 'input');
  inputs.forEach(sigma);
  for (const id of [...index.graph.edges.map((e) => e.id), STUB_ID]) {
    const lab = model.edges[id]?.label;
    const g = edges.get(id);
    if (!lab || !g) continue;
    items.push(item(`v:${id}`, g.val, lab.x, lab.y - 5, 'above'));
    items.push(item(`g:${id}`, g.grad, lab.x, lab.y + 6, 'below'));
  }
  index.graph.nodes.filter((n) => n.kind !== 'input').forEach(sigma);
  return { items, index, model };
}

/** One label item: where its text is anchored and how long it is. */
function item(id, el, x, y, base) {
  const text = el.textContent;
  return { id, el, x, y, base, chars: text.length, scalar: !/[[‖×]/.test(text) };
}

/** Gates, inputs, ghosts and group titles, with room for their own texts at text size s. */
function obstacles(plan, s) {
  const out = [];
  const { model, index } = plan;
  for (const n of index.graph.nodes) {
    const b = model.nodes[n.id];
    if (!b) continue;
    const text = Math.max(String(n.name ?? '').length, String(n.label ?? '').length) * 0.62 * Math.max(s, 15);
    const spill = Math.max(0, (text - b.w) / 2);
    out.push({ x0: b.x - spill, y0: b.y - (n.name ? 0.4 * s : 0), x1: b.x + b.w + spill, y1: b.y + b.h });
  }
  for (const b of Object.values(model.ghosts || {})) out.push({ x0: b.x, y0: b.y, x1: b.x + b.w, y1: b.y + b.h });
  for (const b of Object.values(model.groups)) out.push({ x0: b.x, y0: b.y, x1: b.x + b.w, y1: b.y + 28 });
  return out;
}

/** The width of a digit of the numbers' font, per pixel of font size (measured once). */
function measureDigit(svg) {
  const probe = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  probe.setAttribute('class', 'edge show-val');
  probe.innerHTML = '<text class="val">0000000000</text>';
  svg.querySelector('.viewport').appendChild(probe);
  const t = probe.firstChild;
  const size = parseFloat(getComputedStyle(t).fontSize) || 12.5;
  const w = t.getComputedTextLength() / 10 / size;
  probe.remove();
  return Number.isFinite(w) && w > 0 ? Math.max(w, 0.55) : 0.62;
}
