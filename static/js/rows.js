// Cuts a deep circuit into rows, read like lines of text: each row is laid out left to right on its
// own (ELK's cost grows with depth, and a 1,000-gate chain in one line is 100,000 px wide).
// A value made in an earlier row enters a later one as a ghost: a tag with its name, at the row's
// left. Pure: no DOM.

export const ROW_DEPTH = 16; // gate layers per row (about a screen and a half at a readable zoom)
export const ONE_ROW_DEPTH = 24; // circuits up to this depth stay in one row, as drawn by hand

/** {rowOf: Map node id -> row, count}: the row of every node. A statement stays in one row (the
 *  row of its result, so wires only go down), a top-level group with its call, and an input or
 *  constant goes to the row of its first use. */
export function planRows(index) {
  const unitOf = topUnits(index);
  const depth = unitDepths(index, unitOf);
  let most = 0;
  for (const d of depth.values()) most = Math.max(most, d);
  const rowOf = new Map();
  if (most < ONE_ROW_DEPTH) {
    for (const n of index.graph.nodes) rowOf.set(n.id, 0);
    return { rowOf, count: 1 };
  }
  const keyOf = (n) => statementKey(index, unitOf.get(n.id), n);
  const deepest = new Map();
  for (const n of index.graph.nodes) {
    const k = keyOf(n);
    deepest.set(k, Math.max(deepest.get(k) ?? 0, depth.get(unitOf.get(n.id))));
  }
  for (const n of index.graph.nodes) rowOf.set(n.id, Math.floor(deepest.get(keyOf(n)) / ROW_DEPTH));
  for (const n of index.graph.nodes) if (!index.inEdges.get(n.id)?.length) rowOf.set(n.id, firstRow(index, n.id, rowOf));
  return { rowOf, count: Math.max(...rowOf.values()) + 1 };
}

/** What keeps nodes together in a row: the call's line for a group, the statement's line else. */
function statementKey(index, unit, n) {
  if (unit.startsWith('group:')) return `L${index.byId.get(unit.slice(6))?.line ?? unit}`;
  return n.line === null || n.line === undefined ? unit : `L${n.line}`;
}

/** The row of a source's first consumer (its own row if it has none). */
function firstRow(index, id, rowOf) {
  const uses = (index.outEdges.get(id) || []).map((e) => rowOf.get(e.target));
  return uses.length ? Math.min(...uses) : rowOf.get(id);
}

/** Node id -> its unit: the outermost expanded group holding it, else the node itself. */
function topUnits(index) {
  const unitOf = new Map();
  for (const n of index.graph.nodes) {
    let u = n.id;
    for (let g = index.groupOf.get(n.id) ?? null; g; g = index.groups[g]?.parent ?? null) u = `group:${g}`;
    unitOf.set(n.id, u);
  }
  return unitOf;
}

/** Unit -> longest-path depth over the units (Kahn's order); sources sit just before their first use. */
function unitDepths(index, unitOf) {
  const next = new Map();
  const waiting = new Map();
  for (const u of unitOf.values()) waiting.set(u, 0);
  for (const e of index.graph.edges) {
    const a = unitOf.get(e.source);
    const b = unitOf.get(e.target);
    if (a === undefined || b === undefined || a === b) continue;
    if (!next.has(a)) next.set(a, []);
    next.get(a).push(b);
    waiting.set(b, waiting.get(b) + 1);
  }
  const depth = new Map();
  const sources = [...waiting].filter(([, k]) => k === 0).map(([u]) => u);
  const queue = [...sources];
  for (const u of queue) depth.set(u, 0);
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    for (const v of next.get(u) || []) {
      depth.set(v, Math.max(depth.get(v) ?? 0, depth.get(u) + 1));
      waiting.set(v, waiting.get(v) - 1);
      if (waiting.get(v) === 0) queue.push(v);
    }
  }
  for (const u of waiting.keys()) if (!depth.has(u)) depth.set(u, 0); // a cycle: never from the API
  for (const u of sources) if (next.has(u)) depth.set(u, firstUse(u, next, depth));
  return depth;
}

/** The depth just before a source's first consumer. */
function firstUse(u, next, depth) {
  return Math.max(0, Math.min(...next.get(u).map((v) => depth.get(v))) - 1);
}

/** The id of the ghost of `source` in row r. */
export function ghostId(source, row) {
  return `ghost:${row}:${source}`;
}

/** The edges of row r, each with the id of the node its wire starts at there (a ghost if the
 *  source is in another row), and the ghosts it needs: {edges: [{edge, from}], ghosts: Map id -> source}. */
export function rowEdges(index, plan, r, edges) {
  const out = [];
  const ghosts = new Map();
  for (const e of edges) {
    if (plan.rowOf.get(e.target) !== r) continue;
    if (plan.rowOf.get(e.source) === r) {
      out.push({ edge: e, from: e.source });
      continue;
    }
    const id = ghostId(e.source, r);
    ghosts.set(id, e.source);
    out.push({ edge: e, from: id });
  }
  return { edges: out, ghosts };
}

/** Nodes of row r whose every consumer lies in other rows (their wire leaves through an exit arrow). */
export function rowExits(index, plan, r) {
  const out = [];
  for (const n of index.graph.nodes) {
    if (plan.rowOf.get(n.id) !== r || n.id === index.graph.output) continue;
    const uses = index.outEdges.get(n.id) || [];
    if (uses.length && uses.every((e) => plan.rowOf.get(e.target) !== r)) out.push(n.id);
  }
  return out;
}
