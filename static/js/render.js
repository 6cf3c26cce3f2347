// Renders the circuit as SVG. Elements are keyed by node/edge id and updated in place, so
// animation steps only flip attributes instead of rebuilding the drawing.
import { el, setAttr, setText, wirePath } from './svg.js';
import { STUB_ID } from './layout.js';
import { gradLabel, valueLabel } from './format.js';
import { labelGroup, makeBadge, makeGhost, makeGroup, makeNode, placeGhost, placeGroup, placeNode, updateNodeNumbers } from './render-nodes.js';
import { createLod } from './render-lod.js';
import { createRows } from './render-rows.js';
import { createSlicer, frameShare } from './slices.js';
import { edgeVisibility } from './schedule.js';

/** Creates a renderer bound to an <svg>; handlers get node clicks, hovers and fold requests. */
export function createRenderer(svg, handlers) {
  const root = svg.querySelector('.viewport');
  const layers = Object.fromEntries(['groups', 'edges', 'nodes'].map((k) => [k, el('g', { class: k }, root)]));
  const nodes = new Map();
  const edges = new Map();
  const groups = new Map();
  const ghosts = new Map();
  let index = null;
  let edgeById = new Map();
  let badged = false; // whether a gradient-check badge is drawn
  const lod = createLod(svg, { nodes, edges, ghosts });
  const rows = createRows(svg, layers, (row) => index && refreshRow(row));
  bindEvents(svg, handlers);

  /** Joins the graph and its layout to SVG elements: enter new ids, update kept ones, remove the rest.
   *  Elements are born with their numbers and `states`, so the last frame changes little; new ones go
   *  in over several frames so a big circuit never blocks the page. `frame()` sets the new view
   *  first: rows out of it are made off-document, and nothing is painted at the old view and again
   *  at the new. Resolves false if `alive()` turned false meanwhile (a newer drawing took over). */
  async function draw(idx, model, states, alive = () => true, frame = () => {}) {
    index = idx;
    lod.forget(); // the old drawing's labels are not decluttered again while this one is made
    // Fading thousands of labels at once costs many full repaints; big circuits switch transitions off.
    const big = idx.graph.nodes.length > 150;
    // One clock for all the joins below: a big drawing's frame gets a few ms of script, as many as
    // leave the browser time to style, lay out and paint what it made within FRAME_MS.
    const adapt = big ? frameShare({ frame: FRAME_MS, max: SLICE_MS }) : null;
    const slicer = createSlicer({ budget: big ? FIRST_SLICE_MS : SMALL_SLICE_MS, wait: nextFrame, alive, adapt });
    if (big && !(await slicer.pause())) return false; // the layout's answer was read in this task
    svg.classList.toggle('big', big);
    edgeById = new Map(idx.graph.edges.map((e) => [e.id, e]));
    const parts = joins(idx, model, states);
    for (const [map, ids, , , remake, rowFor] of parts) if (!(await drop(map, ids, remake, rowFor, slicer))) return false;
    rows.setBands(model.rows || [], idx.graph.nodes.length > CULL_NODES);
    frame();
    rows.cull(); // (frame() culled already if it moved the view)
    // The old drawing's removal and the new view are the browser's work of a frame of their own.
    if (big && !(await slicer.pause())) return false;
    for (const [map, ids, make, place] of parts) {
      // Each kind of element costs the browser its own: its first frame is a short one again.
      if (big) slicer.budget = Math.min(slicer.budget, FIRST_SLICE_MS);
      if (!(await join(map, ids, make, place, slicer))) return false;
    }
    // A big drawing's last elements, its level of detail and the caller's bookkeeping each get a
    // frame of their own (together they blocked the page for over 100 ms at 1,000 gates).
    if (big && !(await slicer.pause())) return false;
    if (!(await lod.build(idx, model, slicer))) return false;
    return !big || slicer.pause();
  }

  /** The drawing's four joins, in order: [element map, ids, make(id), place(g, id), remake, the row
   *  of an id]. */
  function joins(idx, model, states) {
    const byId = edgeById;
    const rowOf = (id) => model.plan?.rowOf.get(id) ?? 0;
    const edgeRow = (id) => rowOf(id === STUB_ID ? idx.graph.output : id.startsWith('exit:') ? id.slice(5) : byId.get(id)?.target);
    const placeF = (g, id) => {
      rows.put('groups', rowOf(id), g);
      placeGroup(g, idx, id, model);
    };
    const placeN = (g, id) => {
      rows.put('nodes', rowOf(id), g);
      placeNode(g, idx, id, model);
      updateNodeNumbers(g, idx, idx.byId.get(id));
      setAttr(g, 'data-state', states.get(id) || 'pending');
    };
    const placeE = (g, id) => {
      rows.put('edges', edgeRow(id), g);
      placeEdge(g, id, model);
      if (!id.startsWith('exit:')) fillEdge(g, idx, byId.get(id), states, null);
    };
    const exits = Object.keys(model.edges).filter((id) => id.startsWith('exit:'));
    const ghostOf = (id) => id.slice(id.indexOf(':', 6) + 1);
    const placeG = (g, id) => {
      rows.put('nodes', Number(id.split(':')[1]), g);
      placeGhost(g, id, model);
      setAttr(g, 'data-state', states.get(ghostOf(id)) || 'pending');
    };
    return [
      [groups, Object.keys(model.groups), (id) => makeGroup(layers.groups, id), placeF, false, rowOf],
      [nodes, idx.graph.nodes.map((n) => n.id), (id) => makeNode(layers.nodes, id), placeN, false, rowOf],
      [ghosts, Object.keys(model.ghosts), (id) => makeGhost(layers.nodes, id, idx, ghostOf(id)), placeG, true],
      [edges, [...byId.keys(), STUB_ID, ...exits], (id) => makeEdge(layers.edges, id), placeE, false, edgeRow],
    ];
  }

  /** Refreshes the numbers (values, gradients, fan-out sums) without touching geometry: only texts
   *  that changed are written, and rows out of view wait until they come back (refreshRow). */
  function updateNumbers(idx) {
    index = idx;
    edgeById = new Map(idx.graph.edges.map((e) => [e.id, e]));
    for (const e of idx.graph.edges) {
      const g = edges.get(e.id);
      if (g?.isConnected) edgeNumbers(g, idx, e);
    }
    const stub = edges.get(STUB_ID);
    if (stub?.isConnected) edgeNumbers(stub, idx, null);
    for (const n of idx.graph.nodes) {
      const g = nodes.get(n.id);
      if (g?.isConnected) updateNodeNumbers(g, idx, n);
    }
    for (const [id, g] of groups) labelGroup(g, idx, id); // texts follow the page's language
    lod.numbersChanged();
  }

  /** Brings a row's numbers up to date as it comes back into view. */
  function refreshRow(row) {
    for (const g of row.children) {
      const { edgeId, nodeId } = g.dataset;
      if (edgeId === STUB_ID) edgeNumbers(g, index, null);
      else if (edgeId && edgeById.has(edgeId)) edgeNumbers(g, index, edgeById.get(edgeId));
      else if (nodeId && index.byId.has(nodeId)) updateNodeNumbers(g, index, index.byId.get(nodeId));
    }
  }

  /** A node's element, its row brought back into view if it was out (keyboard moves). */
  function element(id) {
    return rows.attach(nodes.get(id)) ?? null;
  }

  /** Applies animation states: data-state per node, visible numbers per edge, the active highlight. */
  function applyStates(states, active) {
    if (!index) return;
    const touched = activeIds(index, active);
    for (const [id, g] of nodes) {
      setAttr(g, 'data-state', states.get(id) || 'pending');
      g.classList.toggle('active', touched.nodes.has(id));
    }
    for (const g of ghosts.values()) setAttr(g, 'data-state', states.get(g.dataset.ghostOf) || 'pending');
    for (const e of index.graph.edges) {
      const g = edges.get(e.id);
      if (g) edgeFlags(g, index, e, states, touched);
    }
    const stub = edges.get(STUB_ID);
    if (stub) edgeFlags(stub, index, null, states, touched);
  }

  /** Shows gradient-check badges: id -> {text, ok}; an empty map clears them. */
  function setBadges(badges) {
    if (!badges.size && !badged) return; // nothing to clear (a big drawing's 1,000 look-ups)
    badged = badges.size > 0;
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

  return { svg, draw, updateNumbers, applyStates, setBadges, select, element, whole: rows.whole, reveal: lod.reveal };
}

// Main-thread time spent making elements before yielding a frame: FIRST_SLICE_MS in a big drawing's
// first frame, then fitted (slices.js) to leave the browser time to style, lay out and paint what
// the script made within FRAME_MS (at 1,000 gates 12 ms of script made 2,000 objects to lay out, 70
// ms of the browser's work; rows out of view are made off-document and cost it nothing, so their
// frames get up to SLICE_MS: each frame waits for the display's next one, and short pieces waste it).
const FIRST_SLICE_MS = 8;
const SLICE_MS = 24;
const FRAME_MS = 40;
const SMALL_SLICE_MS = 25; // a small drawing is made in one frame or two, as before
// Drawings bigger than this keep only the rows in view in the document (render-rows.js); smaller
// ones cost the browser little, and keep every node in the DOM for scripts.
const CULL_NODES = 400;

/** Removes the elements whose ids are gone (all of them if `remake`), and takes a kept one out of
 *  its row if it moves to another (the new view then brings back no row only to empty it); taking an
 *  element out of the document costs the browser too, so this yields when the slicer's piece is due. */
async function drop(map, ids, remake, rowFor, slicer) {
  const keep = new Set(ids);
  for (const [id, g] of map) {
    if (!keep.has(id) || remake) {
      g.remove();
      map.delete(id);
    } else if (rowFor && g.parentNode && Number(g.parentNode.dataset.row) !== rowFor(id)) g.remove();
    if (slicer.due() && !(await slicer.pause())) return false;
  }
  return true;
}

/** Keyed join of a Map of elements against a list of ids (the gone ones dropped before), yielding
 *  a frame whenever the slicer's piece is due; false if the drawing was superseded meanwhile. */
async function join(map, ids, make, place, slicer) {
  for (const id of ids) {
    if (!map.has(id)) map.set(id, make(id));
    place(map.get(id), id);
    if (slicer.due() && !(await slicer.pause())) return false;
  }
  return true;
}

/** Resolves at the next frame (its new elements are styled, laid out and painted after it). */
function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
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
  setText(g.val, valueLabel(src.value, src.shape));
  setText(g.grad, gradLabel(e ? e.contribution : src.grad, src.shape));
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

/** Creates an edge element: the wire and its two labels. */
function makeEdge(layer, id) {
  const exit = id.startsWith('exit:');
  const g = el('g', { class: id === STUB_ID || exit ? 'edge stub' : 'edge', 'data-edge-id': id }, layer);
  g.wire = el('path', { class: 'wire' }, g);
  if (exit) return g; // a wire leaving for a later row: its numbers are on the ghost's wires
  // Kept on the element: every drawing, scrub and level-of-detail pass reads them.
  g.val = el('text', { class: 'val' }, g);
  g.grad = el('text', { class: 'grad' }, g);
  return g;
}

/** Sets an edge's path and puts the value above the wire, the gradient below. */
function placeEdge(g, id, model) {
  const geo = model.edges[id] || { points: [], label: null };
  setAttr(g.wire, 'd', wirePath(geo.points));
  const lab = geo.label || { x: -1e4, y: -1e4 };
  const { val, grad } = g;
  if (!val) return;
  setAttr(val, 'x', lab.x);
  setAttr(val, 'y', lab.y - 5);
  setAttr(grad, 'x', lab.x);
  setAttr(grad, 'y', lab.y + 6);
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
  // A ghost stands for its source node.
  const nodeId = (ev) => {
    const g = ev.target.closest?.('[data-node-id], [data-ghost-of]');
    return g?.getAttribute('data-node-id') ?? g?.getAttribute('data-ghost-of') ?? undefined;
  };
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
