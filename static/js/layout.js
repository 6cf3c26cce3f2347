// ELK graph construction from the API JSON, and reading ELK's result back into a drawing model.
// Pure: no DOM. Ports are FIXED_POS so a gate's inputs keep their order (a - b, a / b).

import { gradLabel, valueLabel } from './format.js';
import { exprName } from './graph-state.js';
import { planRows, rowEdges, rowExits } from './rows.js';
import { createSlicer, mapSliced } from './slices.js';

const P = 'org.eclipse.elk.';
export const STUB_ID = '__output__';
const LABEL = { w: 58, h: 38 }; // value line above the wire + gradient line below, with air
const NAME_H = 16; // room above a named gate for its user name
const LABELLED_NODES = 250; // rows up to this size reserve room for every wire's numbers (it doubles ELK's work)

/** Rough text width in px for the page's UI font; no DOM measuring, so it also runs in Node. */
export function textWidth(text, px = 13) {
  return Math.ceil(String(text).length * px * 0.62);
}

/** Box size and gate geometry of a node (the drawn shape sits at the bottom of the box). */
export function nodeBox(node, arity = 0) {
  const tensor = (node.shape || []).length > 0;
  if (node.kind === 'input') {
    return { w: Math.max(46, textWidth(node.label || node.name || '', 15) + 26), h: tensor ? 42 : 32, top: 0 };
  }
  if (node.kind === 'const') return { w: Math.max(30, textWidth(node.label, 12) + 16), h: 24, top: 0 };
  const label = String(node.label ?? '');
  const gateH = Math.max(38, arity * 13 + 10);
  const w = label.length <= 2 ? gateH === 38 ? 38 : 40 : textWidth(label, 14) + 24;
  const top = node.name ? NAME_H : 0;
  return { w: Math.max(w, node.name ? textWidth(node.name, 12) + 6 : 0), h: gateH + top, top };
}

/** Port positions: inputs spread on the west side in order (port 0 on top), output east, centered. */
export function portPositions(box, arity) {
  const cy = box.top + (box.h - box.top) / 2;
  const gap = arity > 1 ? Math.min(13, (box.h - box.top - 10) / (arity - 1)) : 0;
  const ins = Array.from({ length: arity }, (_, i) => ({ x: 0, y: cy + (i - (arity - 1) / 2) * gap }));
  return { ins, out: { x: box.w, y: cy } };
}

/** Layout options by size: full quality for small graphs, cheaper passes for large ones. */
export function layoutOptions(nodeCount) {
  const base = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    [`${P}json.edgeCoords`]: 'ROOT',
    [`${P}json.shapeCoords`]: 'ROOT',
    'elk.spacing.nodeNode': '22',
    'elk.layered.spacing.nodeNodeBetweenLayers': '26',
    'elk.layered.spacing.edgeNodeBetweenLayers': '14',
    'elk.spacing.edgeEdge': '8',
    'elk.padding': '[top=24,left=24,bottom=24,right=24]',
  };
  if (nodeCount <= 60) return base;
  // Bigger circuits: one crossing-minimisation sweep and no greedy switch (most of ELK's time on
  // rows of a deep chain, for drawings that look the same).
  return {
    ...base,
    'elk.layered.thoroughness': '1',
    'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  };
}

/** The ELK JSON graph of row r (see rows.js; without a plan, the whole circuit is one row).
 *  Composite groups become compound nodes so they are drawn in place. */
export function buildElkGraph(index, plan = null, r = 0) {
  const { graph } = index;
  const inRow = (id) => !plan || plan.rowOf.get(id) === r;
  const mine = graph.nodes.filter((n) => inRow(n.id));
  const root = { id: `row:${r}`, layoutOptions: layoutOptions(graph.nodes.length), children: [], edges: [] };
  root.layoutOptions['elk.padding'] = `[top=24,left=${24 + totalOverflow(index, inRow)},bottom=24,right=24]`;
  const containers = new Map([[null, root]]);
  const containerOf = (g) => ensureGroup(index, g, containers);
  for (const node of mine) containerOf(index.groupOf.get(node.id) ?? null).children.push(elkNode(index, node));
  const { edges, ghosts } = plan ? rowEdges(index, plan, r, graph.edges) : { edges: graph.edges.map((e) => ({ edge: e, from: e.source })), ghosts: new Map() };
  for (const [id, source] of ghosts) root.children.push(ghostNode(index, id, source));
  if (inRow(graph.output)) edges.push({ edge: { id: STUB_ID, source: graph.output, target: STUB_ID, port: 0 }, from: graph.output });
  const exits = plan ? rowExits(index, plan, r) : [];
  for (const id of exits) edges.push({ edge: { id: `exit:${id}`, source: id, target: `exit:${id}`, port: 0 }, from: id, bare: true });
  for (const id of [...(inRow(graph.output) ? [STUB_ID] : []), ...exits.map((x) => `exit:${x}`)]) root.children.push(stubNode(id));
  const withLabels = mine.length <= LABELLED_NODES;
  // Without room reserved for labels, the numbers go on the wire entering a gate: keep layers apart.
  if (!withLabels) root.layoutOptions['elk.layered.spacing.nodeNodeBetweenLayers'] = '90';
  for (const { edge: e, from, bare } of edges) {
    const width = labelWidth(index.byId.get(e.source), e.contribution);
    containerOf(commonGroup(index, from, e.target)).edges.push(elkEdge(e, from, withLabels && !bare, width));
  }
  return root;
}

/** Builds every row's ELK graph: {plan, graphs}. */
export function buildRowGraphs(index) {
  const plan = planRows(index);
  const graphs = Array.from({ length: plan.count }, (_, r) => buildElkGraph(index, plan.count > 1 ? plan : null, r));
  return { plan, graphs };
}

/** The same, a row at a time between a slicer's pieces (slices.js); null if it was superseded. */
export async function buildRowGraphsSliced(index, slicer = createSlicer()) {
  const plan = planRows(index);
  if (!(await slicer.step())) return null;
  const rows = Array.from({ length: plan.count }, (_, r) => r);
  const graphs = await mapSliced(rows, (r) => buildElkGraph(index, plan.count > 1 ? plan : null, r), slicer);
  return graphs && { plan, graphs };
}

/** A 1×1 node an output or exit wire ends at (drawn as an arrow). */
function stubNode(id) {
  const stub = { id, width: 1, height: 1, layoutOptions: { [`${P}portConstraints`]: 'FIXED_POS' } };
  stub.ports = [{ id: `${id}.in0`, x: 0, y: 0, width: 0, height: 0, layoutOptions: { [`${P}port.side`]: 'WEST' } }];
  return stub;
}

/** A ghost: a tag naming a value made in an earlier row, with one output port. */
function ghostNode(index, id, source) {
  const box = ghostBox(index, source);
  const port = { id: `${id}.out`, x: box.w, y: box.h / 2, width: 0, height: 0, layoutOptions: { [`${P}port.side`]: 'EAST' } };
  return { id, width: box.w, height: box.h, ports: [port], layoutOptions: { [`${P}portConstraints`]: 'FIXED_POS' } };
}

const GHOST_W = 64; // a ghost tag's least width: room for a 4-character name, so rows whose ghosts
// are a9 and a10 are alike and share one layout (row-keys.js)

/** The size of a ghost tag: its source's name (or expression) like an input's. */
export function ghostBox(index, source) {
  const box = nodeBox({ kind: 'input', label: exprName(index, source, 1) });
  return { ...box, w: Math.max(GHOST_W, box.w) };
}

/** How far the widest Σ total under an input sticks out of its box on each side (the inputs sit at
 *  the left edge, where nothing else keeps the drawing's margin). */
function totalOverflow(index, inRow) {
  let most = 0;
  for (const [, id] of Object.entries(index.graph.inputs || {})) {
    const node = index.byId.get(id);
    if (!node || !inRow(id) || (index.outEdges.get(id) || []).length < 2) continue;
    const text = `Σ ${gradLabel(node.grad, node.shape)}`;
    most = Math.max(most, (textWidth(text, 15) - nodeBox(node).w) / 2); // 15 px: text grows a little at a far first view
  }
  return Math.ceil(most);
}

/** Finds or creates the compound ELK node of a group (and its parents). */
function ensureGroup(index, g, containers) {
  if (containers.has(g)) return containers.get(g);
  const parent = ensureGroup(index, index.groups[g]?.parent ?? null, containers);
  const box = {
    id: `group:${g}`,
    layoutOptions: { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' },
    children: [],
    edges: [],
  };
  parent.children.push(box);
  containers.set(g, box);
  return box;
}

/** The innermost group containing both ends of an edge (null = the root). */
function commonGroup(index, a, b) {
  const chain = (id) => {
    const out = [];
    for (let g = index.groupOf.get(id) ?? null; g; g = index.groups[g]?.parent ?? null) out.push(g);
    return out;
  };
  const bs = new Set(chain(b));
  return chain(a).find((g) => bs.has(g)) ?? null;
}

/** One ELK node with fixed ports. */
function elkNode(index, node) {
  const arity = (index.inEdges.get(node.id) || []).length;
  const box = nodeBox(node, arity);
  const pos = portPositions(box, arity);
  const side = (s) => ({ [`${P}port.side`]: s });
  const ports = [{ id: `${node.id}.out`, ...pos.out, width: 0, height: 0, layoutOptions: side('EAST') }];
  pos.ins.forEach((p, i) => ports.push({ id: `${node.id}.in${i}`, ...p, width: 0, height: 0, layoutOptions: side('WEST') }));
  return { id: node.id, width: box.w, height: box.h, ports, layoutOptions: { [`${P}portConstraints`]: 'FIXED_POS' } };
}

/** Label width: fixed for scalars (scrubbing must not need a new layout), measured for tensors. */
export function labelWidth(source, contribution) {
  if (!source || !(source.shape || []).length) return LABEL.w;
  const text = [valueLabel(source.value, source.shape), gradLabel(contribution ?? source.grad, source.shape)];
  return Math.max(LABEL.w, ...text.map((t) => textWidth(t, 12) + 8));
}

/** One ELK edge; a centered inline label reserves room for the value above and gradient below. */
function elkEdge(e, from, withLabels, width) {
  const label = { id: `${e.id}.label`, text: ' ', width, height: LABEL.h };
  label.layoutOptions = { [`${P}edgeLabels.inline`]: 'true', [`${P}edgeLabels.placement`]: 'CENTER' };
  return {
    id: e.id,
    sources: [`${from}.out`],
    targets: [`${e.target}.in${e.port}`],
    labels: withLabels ? [label] : [],
  };
}

/** Reads ELK's result into {nodes, groups, ghosts, edges, width, height} with absolute coordinates. */
export function readLayout(result) {
  return readRows([result]);
}

const ROW_GAP = 40; // between stacked rows

/** Reads the rows' results into one model, stacked top to bottom. */
export function readRows(results) {
  const model = { nodes: {}, groups: {}, ghosts: {}, edges: {}, rows: [], width: 0, height: 0 };
  let dy = 0;
  for (const result of results) {
    readRow(result, dy, model);
    model.rows.push({ y0: dy, y1: dy + result.height });
    model.width = Math.max(model.width, result.width);
    model.height = dy + result.height;
    dy += result.height + ROW_GAP;
  }
  return model;
}

/** Adds one row's boxes and wires to the model, moved down by dy. */
function readRow(result, dy, model) {
  const visit = (n) => {
    for (const c of n.children || []) {
      const box = { x: c.x, y: c.y + dy, w: c.width, h: c.height };
      if (c.id.startsWith('group:')) model.groups[c.id.slice(6)] = box;
      else if (c.id.startsWith('ghost:')) model.ghosts[c.id] = box;
      else model.nodes[c.id] = box;
      visit(c);
    }
    for (const e of n.edges || []) model.edges[e.id] = readEdge(e, dy);
  };
  visit(result);
}

/** An edge's polyline and the anchor point of its labels (on the wire). */
function readEdge(e, dy = 0) {
  const s = (e.sections || [])[0];
  if (!s) return { points: [], label: null };
  const points = [s.startPoint, ...(s.bendPoints || []), s.endPoint].map((p) => ({ x: p.x, y: p.y + dy }));
  const lab = (e.labels || [])[0];
  if (lab && lab.x !== undefined) {
    const cx = lab.x + lab.width / 2;
    return { points, label: { x: cx, y: yAt(points, cx, lab.y + dy + lab.height / 2) } };
  }
  // No reserved label: use the middle of the last horizontal run, which enters the target's port.
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  return { points, label: { x: (a.x + b.x) / 2, y: b.y } };
}

/** The y of the horizontal segment of a polyline passing x (fallback: the given y). */
function yAt(points, x, fallback) {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a.y === b.y && Math.min(a.x, b.x) - 0.5 <= x && x <= Math.max(a.x, b.x) + 0.5) return a.y;
  }
  return fallback;
}
