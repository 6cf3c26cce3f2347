// Renders the circuit as SVG. Elements are keyed by node/edge id and updated in place, so
// animation steps only flip attributes instead of rebuilding the drawing.
import { el, setAttr, setText, wirePath } from './svg.js';
import { STUB_ID, nodeBox } from './layout.js';
import { displayLabel, formatNumber, formatShape, gradLabel, valueLabel } from './format.js';
import { edgeVisibility } from './schedule.js';
import { t } from './i18n.js';

/** Creates a renderer bound to an <svg>; handlers get node clicks, hovers and fold requests. */
export function createRenderer(svg, handlers) {
  const root = svg.querySelector('.viewport');
  const layers = Object.fromEntries(['groups', 'edges', 'nodes'].map((k) => [k, el('g', { class: k }, root)]));
  const nodes = new Map();
  const edges = new Map();
  const groups = new Map();
  let index = null;
  bindEvents(svg, handlers);

  /** Joins the graph and its layout to SVG elements: enter new ids, update kept ones, remove the rest.
   *  Elements are born with their numbers and `states`, so the last frame changes little; new ones go
   *  in over several frames so a big circuit never blocks the page. Resolves false if `alive()` turned
   *  false meanwhile (a newer drawing took over). */
  async function draw(idx, model, states, alive = () => true) {
    index = idx;
    // Fading thousands of labels at once costs many full repaints; big circuits switch transitions off.
    svg.classList.toggle('big', idx.graph.nodes.length > 150);
    const byId = new Map(idx.graph.edges.map((e) => [e.id, e]));
    const placeN = (g, id) => {
      placeNode(g, idx, id, model);
      updateNodeNumbers(g, idx, idx.byId.get(id));
      setAttr(g, 'data-state', states.get(id) || 'pending');
    };
    const placeE = (g, id) => {
      placeEdge(g, id, model);
      fillEdge(g, idx, byId.get(id), states, null);
    };
    const ok =
      (await join(groups, Object.keys(model.groups), (id) => makeGroup(layers.groups, id), (g, id) => placeGroup(g, idx, id, model), alive)) &&
      (await join(nodes, idx.graph.nodes.map((n) => n.id), (id) => makeNode(layers.nodes, id), placeN, alive)) &&
      (await join(edges, [...byId.keys(), STUB_ID], (id) => makeEdge(layers.edges, id), placeE, alive));
    return ok;
  }

  /** Refreshes every number (values, gradients, fan-out sums) without touching geometry. */
  function updateNumbers(idx) {
    index = idx;
    for (const e of idx.graph.edges) {
      const g = edges.get(e.id);
      if (g) edgeNumbers(g, idx, e);
    }
    const stub = edges.get(STUB_ID);
    if (stub) edgeNumbers(stub, idx, null);
    for (const n of idx.graph.nodes) updateNodeNumbers(nodes.get(n.id), idx, n);
    for (const [id, g] of groups) labelGroup(g, idx, id); // texts follow the page's language
  }

  /** Applies animation states: data-state per node, visible numbers per edge, the active highlight. */
  function applyStates(states, active) {
    if (!index) return;
    const touched = activeIds(index, active);
    for (const [id, g] of nodes) {
      setAttr(g, 'data-state', states.get(id) || 'pending');
      g.classList.toggle('active', touched.nodes.has(id));
    }
    for (const e of index.graph.edges) {
      const g = edges.get(e.id);
      if (g) edgeFlags(g, index, e, states, touched);
    }
    const stub = edges.get(STUB_ID);
    if (stub) edgeFlags(stub, index, null, states, touched);
  }

  /** Shows gradient-check badges: id -> {text, ok}; an empty map clears them. */
  function setBadges(badges) {
    for (const [id, g] of nodes) {
      g.querySelector('.badge')?.remove();
      const b = badges.get(id);
      if (b) makeBadge(g, b);
    }
  }

  /** Marks the selected node (the one the explainer shows). */
  function select(id) {
    for (const [nid, g] of nodes) g.classList.toggle('selected', nid === id);
  }

  return { draw, updateNumbers, applyStates, setBadges, select };
}

// New elements per frame. Any change to a big <svg> costs the browser a pass over the whole drawing,
// so batches are few and large: the page keeps ticking without paying that pass too often.
const BATCH = 700;

/** Keyed join of a Map of elements against a list of ids, yielding a frame every BATCH new elements. */
async function join(map, ids, make, place, alive) {
  const keep = new Set(ids);
  for (const [id, g] of map) {
    if (!keep.has(id)) {
      g.remove();
      map.delete(id);
    }
  }
  let made = 0;
  for (const id of ids) {
    if (!map.has(id)) {
      map.set(id, make(id));
      if (++made % BATCH === 0 && !(await nextFrame(alive))) return false;
    }
    place(map.get(id), id);
  }
  return true;
}

/** Waits for the next frame; false if the drawing was superseded meanwhile. */
function nextFrame(alive) {
  return new Promise((resolve) => requestAnimationFrame(() => resolve(alive())));
}

/** The node and edges a step touches: the gate, its input wires and its output wires. */
function activeIds(index, active) {
  const out = { nodes: new Set(), edges: new Set() };
  if (!active) return out;
  out.nodes.add(active.node);
  for (const e of index.inEdges.get(active.node) || []) out.edges.add(e.id);
  for (const e of index.outEdges.get(active.node) || []) out.edges.add(e.id);
  return out;
}

/** Sets an edge's numbers and flags in one go (a new element is born complete). */
function fillEdge(g, idx, e, states, touched) {
  edgeNumbers(g, idx, e);
  edgeFlags(g, idx, e, states, touched);
}

/** An edge's texts: its source's value above, the contribution it carries back below (null e: the stub). */
function edgeNumbers(g, idx, e) {
  const src = idx.byId.get(e ? e.source : idx.graph.output);
  if (!src) return;
  setText(g.querySelector('.val'), valueLabel(src.value, src.shape));
  setText(g.querySelector('.grad'), gradLabel(e ? e.contribution : src.grad, src.shape));
}

/** An edge's visibility and highlight from node states (null e: the output stub). */
function edgeFlags(g, idx, e, states, touched) {
  if (!e) {
    const out = states.get(idx.graph.output);
    return setEdgeFlags(g, out !== 'pending', out === 'backward', Boolean(touched?.nodes.has(idx.graph.output)));
  }
  const vis = edgeVisibility(e, states);
  setEdgeFlags(g, vis.value, vis.grad, Boolean(touched?.edges.has(e.id)));
}

/** Sets an edge's visibility/highlight classes. */
function setEdgeFlags(g, showValue, showGrad, active) {
  g.classList.toggle('show-val', showValue);
  g.classList.toggle('show-grad', showGrad);
  g.classList.toggle('active', active);
}

/** Creates an empty node element (its shape is drawn by placeNode). */
function makeNode(layer, id) {
  return el('g', { class: 'node', 'data-node-id': id, 'data-state': 'pending', tabindex: '-1', role: 'button' }, layer);
}

/** Positions a node and (re)draws its shape when its kind or label changed. */
function placeNode(g, idx, id, model) {
  const node = idx.byId.get(id);
  const box = model.nodes[id] || { x: 0, y: 0, w: 0, h: 0 };
  setAttr(g, 'transform', `translate(${box.x},${box.y})`);
  const sig = `${node.kind}|${node.label}|${node.name}|${(node.shape || []).join('x')}|${box.w}|${box.h}|${node.composite}`;
  if (g.dataset.sig === sig) return;
  g.dataset.sig = sig;
  g.replaceChildren();
  g.setAttribute('class', `node kind-${node.kind}${node.composite ? ' composite' : ''}${(node.shape || []).length ? ' tensor' : ''}`);
  const arity = (idx.inEdges.get(id) || []).length;
  const shape = nodeBox(node, arity);
  drawNodeShape(g, node, { ...shape, w: box.w, h: box.h });
  // The node's aria-label says all its texts say, in words: they are not read twice.
  for (const t of g.querySelectorAll('text')) t.setAttribute('aria-hidden', 'true');
}

/** Draws a node's shape and texts: inputs and constants as tags, gates as circles or pills. */
function drawNodeShape(g, node, box) {
  if (node.kind === 'op') return drawGate(g, node, box);
  const rx = node.kind === 'const' ? 4 : 8;
  el('rect', { class: 'focus-ring', x: -5, y: -5, width: box.w + 10, height: box.h + 10, rx: rx + 4 }, g);
  el('rect', { class: 'body', x: 0, y: 0, width: box.w, height: box.h, rx }, g);
  const tensor = (node.shape || []).length > 0;
  const label = el('text', { class: 'label', x: box.w / 2, y: tensor ? 17 : box.h / 2 }, g);
  label.textContent = `${node.kind === 'input' ? node.name || node.label : node.label} `; // see the shape's space
  // Spaces around texts (not drawn) keep the node's text content "W 2×3", as its accessible name says.
  if (tensor) el('text', { class: 'shape', x: box.w / 2, y: 33 }, g).textContent = ` ${formatShape(node.shape)}`;
  el('text', { class: 'node-grad', x: box.w / 2, y: box.h + 11 }, g);
}

/** Draws a gate: its symbol in a circle (short) or pill (long), its user name above. */
function drawGate(g, node, box) {
  const gh = box.h - box.top;
  const round = String(node.label).length <= 2;
  const attrs = { class: 'body', x: 0, y: box.top, width: box.w, height: gh, rx: round ? gh / 2 : 12 };
  el('rect', { class: 'focus-ring', x: -6, y: box.top - 6, width: box.w + 12, height: gh + 12, rx: attrs.rx + 6 }, g);
  el('rect', attrs, g);
  if (node.composite) el('rect', { class: 'composite-ring', x: -3, y: box.top - 3, width: box.w + 6, height: gh + 6, rx: attrs.rx + 3 }, g);
  el('text', { class: 'label', x: box.w / 2, y: box.top + gh / 2 }, g).textContent = `${displayLabel(node)} `;
  if (node.name) el('text', { class: 'name', x: box.w / 2, y: box.top - 5 }, g).textContent = ` ${node.name}`;
  el('text', { class: 'node-grad', x: box.w / 2, y: box.h + 11 }, g);
}

/** The Σ under a fanned-out node (its gradient is the sum of its wires' contributions), and the
 *  node's spoken name with its numbers. */
function updateNodeNumbers(g, idx, node) {
  const t = g?.querySelector('.node-grad');
  if (!t) return;
  const fan = (idx.outEdges.get(node.id) || []).length > 1 && node.grad !== null && node.grad !== undefined;
  setText(t, fan ? `Σ ${gradLabel(node.grad, node.shape)}` : '');
  setAttr(g, 'aria-label', spoken(g, node));
}

/** What a screen reader says for a node: its drawn texts first (so the name matches what is seen),
 *  then what it is, its value and its gradient. */
function spoken(g, node) {
  const seen = [...g.querySelectorAll('text')].map((t) => t.textContent.trim()).filter(Boolean).join(' ');
  const what = node.kind === 'op' ? t('node.gate', { op: node.op }) : t(`node.${node.kind}`);
  const more = node.composite ? t('node.expand') : '';
  if ((node.shape || []).length) return t('node.spoken_tensor', { seen, what, shape: formatShape(node.shape), more });
  return t('node.spoken', { seen, what, value: formatNumber(node.value), grad: formatNumber(node.grad), more });
}

/** Creates an edge element: the wire and its two labels. */
function makeEdge(layer, id) {
  const g = el('g', { class: id === STUB_ID ? 'edge stub' : 'edge', 'data-edge-id': id }, layer);
  el('path', { class: 'wire' }, g);
  el('text', { class: 'val' }, g);
  el('text', { class: 'grad' }, g);
  return g;
}

/** Sets an edge's path and puts the value above the wire, the gradient below. */
function placeEdge(g, id, model) {
  const geo = model.edges[id] || { points: [], label: null };
  setAttr(g.querySelector('.wire'), 'd', wirePath(geo.points));
  const lab = geo.label || { x: -1e4, y: -1e4 };
  const val = g.querySelector('.val');
  const grad = g.querySelector('.grad');
  setAttr(val, 'x', lab.x);
  setAttr(val, 'y', lab.y - 5);
  setAttr(grad, 'x', lab.x);
  setAttr(grad, 'y', lab.y + 6);
}

/** Creates an expanded composite's frame with its fold button. */
function makeGroup(layer, id) {
  const g = el('g', { class: 'group', 'data-group-id': id }, layer);
  el('rect', { class: 'frame', rx: 10 }, g);
  el('text', { class: 'group-title' }, g);
  const fold = el('g', { class: 'fold', 'data-fold': id, role: 'button', tabindex: '0' }, g);
  el('rect', { class: 'fold-bg', width: 46, height: 18, rx: 9 }, fold);
  el('text', { class: 'fold-text', x: 23, y: 9 }, fold);
  return g;
}

/** Positions a group frame and titles it with its composite op. */
function placeGroup(g, idx, id, model) {
  const b = model.groups[id];
  const frame = g.querySelector('.frame');
  for (const [k, v] of Object.entries({ x: b.x, y: b.y, width: b.w, height: b.h })) setAttr(frame, k, v);
  const title = g.querySelector('.group-title');
  setAttr(title, 'x', b.x + 12);
  setAttr(title, 'y', b.y + 16);
  labelGroup(g, idx, id);
  setAttr(g.querySelector('.fold'), 'transform', `translate(${b.x + b.w - 54},${b.y + 6})`);
}

/** A group frame's texts: its title and its fold button. */
function labelGroup(g, idx, id) {
  setText(g.querySelector('.group-title'), t('group.expanded', { op: idx.groups[id]?.op ?? t('group.composite') }));
  setText(g.querySelector('.fold-text'), t('group.fold'));
  setAttr(g.querySelector('.fold'), 'aria-label', t('group.fold'));
}

/** Draws a gradient-check badge above an input. */
function makeBadge(g, b) {
  const badge = el('g', { class: `badge ${b.ok ? 'ok' : 'bad'}` }, g);
  const w = b.text.length * 6.2 + 12;
  el('rect', { x: -4, y: -22, width: w, height: 16, rx: 8 }, badge);
  el('text', { x: -4 + w / 2, y: -14 }, badge).textContent = b.text;
}

/** Delegated pointer events: click/hover a node, double-click to expand, click fold. */
function bindEvents(svg, handlers) {
  svg.addEventListener('keydown', (ev) => {
    const fold = ev.target.closest?.('[data-fold]');
    if (fold && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      handlers.onFold?.(fold.getAttribute('data-fold'));
    }
  });
  const nodeId = (ev) => ev.target.closest?.('[data-node-id]')?.getAttribute('data-node-id');
  svg.addEventListener('click', (ev) => {
    const fold = ev.target.closest?.('[data-fold]');
    if (fold) return handlers.onFold?.(fold.getAttribute('data-fold'));
    const id = nodeId(ev);
    if (id) handlers.onNodeClick?.(id);
  });
  svg.addEventListener('dblclick', (ev) => {
    const id = nodeId(ev);
    if (id) handlers.onNodeDblClick?.(id);
  });
  // Leaving a node (onto the background or a wire) hovers null, so the explainer reverts.
  svg.addEventListener('mouseover', (ev) => handlers.onNodeHover?.(nodeId(ev) ?? null));
  svg.addEventListener('mouseleave', () => handlers.onNodeHover?.(null));
}
