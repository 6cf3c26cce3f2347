// Indexes the API's graph JSON for lookups (edges per node, fan-out, groups). Pure: no DOM.
import { isSummary } from './lean.js';

/** Builds lookup tables for a graph: nodes by id, in/out edges, group nesting. */
export function indexGraph(graph) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const inEdges = new Map(graph.nodes.map((n) => [n.id, []]));
  const outEdges = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    inEdges.get(e.target)?.push(e);
    outEdges.get(e.source)?.push(e);
  }
  for (const list of inEdges.values()) list.sort((a, b) => a.port - b.port);
  const groups = groupTree(graph.groups || {});
  return { graph, byId, inEdges, outEdges, groups, groupOf: innermostGroups(graph, groups) };
}

/** For each expanded group: its parent group (the smallest other group that contains its output). */
export function groupTree(groups) {
  const ids = Object.keys(groups);
  const size = (g) => groups[g].nodes.length;
  const tree = {};
  for (const g of ids) {
    const parents = ids.filter((h) => h !== g && groups[h].nodes.includes(g) && size(h) > size(g));
    parents.sort((a, b) => size(a) - size(b));
    tree[g] = { ...groups[g], id: g, parent: parents[0] ?? null };
  }
  return tree;
}

/** The open calls of user functions around a node, the innermost first (a call's output is in its own). */
export function openCalls(index, id) {
  const out = [];
  for (let g = index.groupOf.get(id); g; g = index.groups[g]?.parent) if (index.groups[g]?.function) out.push(g);
  return out;
}

/** The program lines of a step's node: its own (inside a call, the def body's) and the lines of the
 *  open calls around it, innermost first. */
export function stepLines(index, id) {
  const line = index.byId.get(id)?.line ?? null;
  const around = openCalls(index, id).map((g) => index.groups[g].line).filter((l) => l && l !== line);
  return { line, around: [...new Set(around)] };
}

/** Node id -> the smallest group containing it (nested composites pick the inner one). */
function innermostGroups(graph, tree) {
  const best = new Map();
  for (const g of Object.values(tree)) {
    for (const id of g.nodes) {
      const cur = best.get(id);
      if (!cur || tree[cur].nodes.length > g.nodes.length) best.set(id, g.id);
    }
  }
  for (const n of graph.nodes) if (!best.has(n.id) && n.group && tree[n.group]) best.set(n.id, n.group);
  return best;
}

/** A string that changes only when the drawing's structure changes, so a new layout is needed. */
export function structureKey(graph) {
  const nodes = graph.nodes.map((n) => `${n.id}|${n.kind}|${n.label}|${n.name ?? ''}|${(n.shape || []).join('x')}`);
  const edges = graph.edges.map((e) => `${e.source}>${e.target}:${e.port}`);
  return `${graph.output}#${nodes.join(';')}#${edges.join(';')}#${Object.keys(graph.groups || {}).join(',')}`;
}

/** Display name of a node: its user name, else its label. */
export function nodeTitle(node) {
  return node.name || node.label || node.id;
}

/** What a gate's explanation needs: upstream gradient, per-input local gradients, fan-out sums. */
export function chainRule(index, id) {
  const node = index.byId.get(id);
  if (!node) return null;
  const outs = index.outEdges.get(id) || [];
  const isOutput = id === index.graph.output;
  return {
    node,
    isOutput,
    seed: index.graph.seed ?? 'scalar',
    upstream: node.grad,
    // The += of fan-out: every consumer's contribution adds into this node's gradient.
    fanout: outs.map((e) => ({ edge: e, target: index.byId.get(e.target), contribution: e.contribution })),
    inputs: (index.inEdges.get(id) || []).map((e) => inputTerm(index, e)),
  };
}

/** One input of a gate: its formula, local derivative and contribution, and its other consumers. */
function inputTerm(index, edge) {
  const source = index.byId.get(edge.source);
  const siblings = (index.outEdges.get(edge.source) || []).filter((e) => e.id !== edge.id);
  return {
    edge,
    source,
    formula: edge.formula,
    formulaTex: edge.formula_tex,
    local: edge.local,
    contribution: edge.contribution,
    differentiable: edge.differentiable !== false,
    others: siblings.map((e) => ({ edge: e, target: index.byId.get(e.target), contribution: e.contribution })),
    total: source?.grad,
  };
}

/** Each input's current value on the circuit, by name (what a request sends to reproduce it). */
export function inputValues(graph) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // A summarized input the page did not send is a literal of the program's text: the text says it.
  return Object.fromEntries(Object.entries(graph.inputs || {}).map(([name, id]) => [name, byId.get(id).value])
    .filter(([, v]) => !isSummary(v)));
}

/** Names of the scalar inputs, in the order the API lists them. */
export function scalarInputs(index) {
  const out = [];
  for (const [name, id] of Object.entries(index.graph.inputs || {})) {
    const node = index.byId.get(id);
    if (node && !(node.shape || []).length) out.push({ name, id, value: node.value });
  }
  return out;
}

// Infix operators, by engine op, with Python's precedence, for naming an unnamed gate.
const INFIX = { add: ['+', 1], sub: ['-', 1], mul: ['*', 2], div: ['/', 2], matmul: ['@', 2], pow: ['**', 4] };

/** A node as a student would write it: its name, a constant's value, or (for an unnamed gate) its
 *  expression from its inputs' names, e.g. "X@W1 + b1" (cut to "…" below `depth` levels). */
export function exprName(index, id, depth = 2) {
  return written(index, id, depth).text;
}

/** {text, prec} of a node written as an expression (prec 9: an atom). */
function written(index, id, depth) {
  const n = index.byId.get(id);
  if (!n) return { text: '?', prec: 9 };
  if (n.kind !== 'op') return { text: String(n.name || n.label), prec: 9 };
  if (n.name) return { text: n.name, prec: 9 };
  if (depth <= 0) return { text: '…', prec: 9 };
  const args = (index.inEdges.get(id) || []).map((e) => written(index, e.source, depth - 1));
  const infix = INFIX[n.op];
  if (infix && args.length === 2) {
    const [sym, prec] = infix;
    const side = (a, right) => (a.prec < prec || (right && a.prec === prec && prec < 4) ? `(${a.text})` : a.text);
    const sep = prec >= 2 && sym !== '*' && sym !== '/' ? '' : ' ';
    return { text: `${side(args[0], false)}${sep}${sym}${sep}${side(args[1], true)}`, prec };
  }
  if (n.op === 'neg') return { text: `-${args[0].prec < 3 ? `(${args[0].text})` : args[0].text}`, prec: 3 };
  if (n.op === 'transpose') return { text: `${args[0].prec < 9 ? `(${args[0].text})` : args[0].text}.T`, prec: 9 };
  return { text: `${n.op}(${args.map((a) => a.text).join(', ')})`, prec: 9 };
}
