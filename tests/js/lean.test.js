import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputValues } from '../../static/js/graph-state.js';
import { hydrate, isSummary } from '../../static/js/lean.js';

// GET /api/ops, the fields the page form refers to (mul's formulas per port, stack's one for all).
const OPS = {
  mul: { name: 'mul', symbol: '×', composite: false, formulas: ['∂(a·b)/∂a = b', '∂(a·b)/∂b = a'], formulas_tex: ['b', 'a'] },
  stack: { name: 'stack', symbol: '[…]', composite: false, formulas: ['∂[…]/∂xᵢ = eᵢ'], formulas_tex: ['e_i'] },
  sum: { name: 'sum', symbol: 'Σ', composite: false, formulas: ['∂Σx/∂x = 1'], formulas_tex: ['1'] },
};
const SUMMARY = { summary: true, shape: [100, 50], size: 5000, min: -1, max: 2, norm: 30, nonfinite: 0, preview: [1, 2] };

/** The page form of `f = x * y` (x = 3, y given, its gradient NaN as strict JSON writes it), then
 *  `s = sum([f, x, y])` with X a summarized data input the page sent. */
function page() {
  return {
    format: 'page', output: 'n4', seed: 'scalar', note: null, inputs: { x: 'n0', y: 'n1', X: 'n5' }, groups: {},
    free: [], spelled: {}, handwritten: [], functions: {}, folded: [],
    ids: ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'], ops: ['input', 'input', 'mul', 'stack', 'sum', 'input'],
    args: [[], [], [0, 1], [2, 0, 1], [3], []], pos: [[1, 1], [2, 1], [3, 5], [4, 5], [4, 1], [5, 1]],
    value: [3, 'Infinity', 'Infinity', [3, 'Infinity', 'Infinity'], 'Infinity', SUMMARY],
    grad: [2, 'NaN', 1, [1, 1, 1], 1, null], omitted: ['n5'],
    local: [null, null, ['Infinity', 3], [null, null, null], [null], null],
    labels: { n0: 'x', n1: 'y', n5: 'X' }, names: { n0: 'x', n1: 'y', n2: 'f', n4: 's', n5: 'X' },
    shapes: { n3: [3], n5: [100, 50] }, group: {}, nondiff: [],
    contribution: { 'n3:0': 1, 'n3:1': 1, 'n3:2': 1, 'n4:0': [1, 1, 1] },
  };
}

test('a full answer (a saved file, the notebook) is read as it is', () => {
  const full = { nodes: [], edges: [], output: 'n0' };
  assert.equal(hydrate(full, OPS), full);
});

test('nodes, orders and edges rebuilt; formulas by op and port; a variadic op shares its one', () => {
  const g = hydrate(page(), OPS, { expression: 'p', values: { y: 1e308 * 10 } });
  assert.deepEqual(g.forward, ['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
  assert.deepEqual(g.backward, [...g.forward].reverse());
  const f = g.nodes[2];
  assert.deepEqual([f.label, f.name, f.inputs, f.line, f.col, f.kind, f.composite], ['×', 'f', ['n0', 'n1'], 3, 5, 'op', false]);
  assert.deepEqual(g.nodes[3].shape, [3]);
  assert.deepEqual(g.edges.map((e) => e.id), ['n2:0', 'n2:1', 'n3:0', 'n3:1', 'n3:2', 'n4:0']);
  assert.deepEqual(g.edges.slice(0, 2).map((e) => e.formula), OPS.mul.formulas);
  assert.deepEqual(g.edges.slice(2, 5).map((e) => e.formula_tex), ['e_i', 'e_i', 'e_i']);
});

test('a scalar contribution is the target gradient times the local derivative, in strict JSON', () => {
  const g = hydrate(page(), OPS, {});
  const [toX, toY] = g.edges;
  assert.equal(toX.contribution, 'Infinity'); // 1 × ∞
  assert.equal(toY.contribution, 3); // 1 × 3 (y's gradient is NaN, but it flows)
  assert.deepEqual(g.edges[5].contribution, [1, 1, 1]); // a tensor gate's: sent
});

test('no contribution where no gradient reaches the source or the target', () => {
  const p = page();
  p.grad[1] = null;
  assert.equal(hydrate(p, OPS, {}).edges[1].contribution, null);
  p.grad[2] = null;
  assert.equal(hydrate(p, OPS, {}).edges[0].contribution, null);
});

test('a summarized input the page sent keeps the page\'s own value; the others are not sent back', () => {
  const X = [[1.0000000000000002, 2]];
  const g = hydrate(page(), OPS, { values: { X } });
  assert.equal(g.nodes[5].value, X);
  assert.ok(g.omitted.has('n5') && g.nodes[5].grad === null);
  assert.deepEqual(Object.keys(inputValues(g)).sort(), ['X', 'x', 'y']);
  const unsent = hydrate(page(), OPS, { values: {} });
  assert.ok(isSummary(unsent.nodes[5].value));
  assert.deepEqual(Object.keys(inputValues(unsent)).sort(), ['x', 'y']); // the program's text has X
});
