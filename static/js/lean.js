// The page's lean graph (POST /api/graph with "format": "page") rebuilt into the records the page
// reads: nodes and edges as the full contract has them. Rules: server/schemas/page.py. Pure: no DOM.
import { toNumber } from './format.js';

/** A number as strict JSON writes it (the API's form of non-finite numbers). */
function strict(x) {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** True for a tensor summary (a large tensor whose entries come from POST /api/tensor in windows). */
export function isSummary(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v.summary === true;
}

/** The graph as the page reads it. `ops` is GET /api/ops by name; `request` the body that was sent:
 *  inputs it gave keep the page's own values (full precision, whatever the answer summarized).
 *  A full answer (the notebook's first graph, a saved file) is returned as it is. */
export function hydrate(answer, ops, request = {}) {
  if (answer?.format !== 'page') return answer;
  const nodes = answer.ids.map((id, i) => nodeRecord(answer, ops, i));
  const given = request.values || {};
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const [name, id] of Object.entries(answer.inputs)) {
    const n = byId.get(id);
    if (isSummary(n.value) && name in given) n.value = given[name];
  }
  const edges = [];
  const nondiff = new Set(answer.nondiff);
  for (let i = 0; i < nodes.length; i++) {
    const args = answer.args[i];
    for (let p = 0; p < args.length; p++) edges.push(edgeRecord(answer, ops, nodes, i, p, nondiff));
  }
  const { output, seed, note, inputs, groups, free, spelled, handwritten, functions, folded, omitted } = answer;
  return {
    output, seed, note, inputs, groups, free, spelled, handwritten, functions, folded, nodes, edges,
    forward: answer.ids, backward: [...answer.ids].reverse(), // node order, and its reverse
    omitted: new Set(omitted),
    // What POST /api/tensor needs to evaluate the same graph again (the inspector's windows).
    request: { expression: request.expression, values: given, expand: request.expand ?? false, free: request.free },
  };
}

/** Node i as the full contract writes it. */
function nodeRecord(a, ops, i) {
  const id = a.ids[i];
  const op = a.ops[i];
  const kind = op === 'input' || op === 'const' ? op : 'op';
  const info = ops[op];
  return {
    id, op, kind,
    label: a.labels[id] ?? info?.symbol ?? op,
    name: a.names[id] ?? null,
    inputs: a.args[i].map((j) => a.ids[j]),
    shape: a.shapes[id] ?? [],
    value: a.value[i],
    grad: a.grad[i],
    line: a.pos[i][0],
    col: a.pos[i][1],
    group: a.group[id] ?? null,
    composite: kind === 'op' && Boolean(info?.composite),
  };
}

/** Edge `port` into node i: formulas from the op table, the contribution sent or derived. */
function edgeRecord(a, ops, nodes, i, port, nondiff) {
  const target = nodes[i];
  const source = nodes[a.args[i][port]];
  const id = `${target.id}:${port}`;
  const info = ops[target.op];
  const at = info && info.formulas.length === 1 ? 0 : port; // a variadic op's ports share one formula
  const local = a.local[i]?.[port] ?? null;
  let contribution = null;
  if (id in a.contribution) contribution = a.contribution[id];
  else if (local !== null && target.grad !== null && source.grad !== null) {
    // Exactly the engine's float64 product, upstream gradient × local derivative.
    contribution = strict(toNumber(target.grad) * toNumber(local));
  }
  return {
    id, source: source.id, target: target.id, port,
    formula: info?.formulas?.[at] ?? null,
    formula_tex: info?.formulas_tex?.[at] ?? null,
    local, contribution,
    differentiable: !nondiff.has(id),
  };
}
