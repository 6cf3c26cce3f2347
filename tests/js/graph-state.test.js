import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainRule, indexGraph, inputValues, scalarInputs, stepLines, structureKey } from '../../static/js/graph-state.js';
import { fanoutGraph, groupedGraph } from './fixtures.js';

test('index: ordered in-edges and fan-out', () => {
  const idx = indexGraph(fanoutGraph());
  assert.deepEqual(idx.inEdges.get('n2').map((e) => e.port), [0, 1]);
  assert.equal(idx.outEdges.get('n0').length, 2);
});

test('chain rule of a gate: upstream × local = contribution per input, with the other uses of x', () => {
  const info = chainRule(indexGraph(fanoutGraph()), 'n2');
  assert.equal(info.upstream, 1);
  assert.deepEqual(info.inputs.map((t) => [t.source.id, t.local, t.contribution]), [['n0', -4, -4], ['n1', 3, 3]]);
  const x = info.inputs[0];
  assert.equal(x.others.length, 1);
  assert.equal(x.total, -3); // -4 (through ×) += 1 (through +)
});

test('fan-out of an input lists every consumer', () => {
  const info = chainRule(indexGraph(fanoutGraph()), 'n0');
  assert.deepEqual(info.fanout.map((f) => f.contribution), [-4, 1]);
  assert.equal(info.isOutput, false);
});

test('structure key ignores numbers but not topology', () => {
  const a = fanoutGraph();
  const b = fanoutGraph();
  b.nodes[0].value = 42;
  assert.equal(structureKey(a), structureKey(b));
  b.edges[3].source = 'n1';
  assert.notEqual(structureKey(a), structureKey(b));
});

test('groups: innermost group of each node', () => {
  const idx = indexGraph(groupedGraph());
  assert.equal(idx.groupOf.get('n1.0'), 'n1');
  assert.equal(idx.groupOf.get('n0'), undefined);
  assert.equal(idx.groups.n1.parent, null);
});

test('nested groups find their parent', () => {
  const g = groupedGraph();
  g.groups.outer = { op: 'mse', nodes: [...g.groups.n1.nodes, 'extra'], inputs: ['n0'] };
  const idx = indexGraph(g);
  assert.equal(idx.groups.n1.parent, 'outer');
  assert.equal(idx.groupOf.get('n1.0'), 'n1');
});

test('scalar inputs for the sliders', () => {
  assert.deepEqual(scalarInputs(indexGraph(fanoutGraph())).map((i) => i.name), ['x', 'y']);
});

test('input values by name, as a request sends them (non-finite strings kept)', () => {
  const graph = fanoutGraph();
  assert.deepEqual(inputValues(graph), { x: 3, y: -4 });
  graph.nodes[1].value = 'NaN';
  assert.deepEqual(inputValues(graph), { x: 3, y: 'NaN' });
  assert.deepEqual(inputValues({ ...graph, inputs: {} }), {});
});

test('a step inside open calls: its def body line, then the lines of the calls around it', () => {
  const node = (id, line, group) => ({ id, kind: 'op', line, group, inputs: [] });
  const graph = {
    nodes: [node('n0', 9, null), node('n6.0', 6, 'n6'), node('n5.0', 2, 'n5'), node('n5.1', 2, 'n5.1'), node('n5.1.0', 2, 'n5.1'),
      node('n5', 3, 'n5'), node('n6', 7, 'n6'), node('n7', 10, null)],
    edges: [],
    groups: {
      n6: { op: 'pair', function: true, line: 9, nodes: ['n6.0', 'n5.0', 'n5.1.0', 'n5.1', 'n5', 'n6'], output: 'n6' },
      n5: { op: 'neuron', function: true, line: 6, nodes: ['n5.0', 'n5.1.0', 'n5.1', 'n5'], output: 'n5' },
      'n5.1': { op: 'sigmoid', nodes: ['n5.1.0', 'n5.1'], output: 'n5.1' }, // an expanded σ: no line of its own
    },
  };
  const idx = indexGraph(graph);
  assert.deepEqual(stepLines(idx, 'n5.1.0'), { line: 2, around: [6, 9] });
  assert.deepEqual(stepLines(idx, 'n5'), { line: 3, around: [6, 9] }); // the call's output is inside it
  assert.deepEqual(stepLines(idx, 'n6.0'), { line: 6, around: [9] });
  assert.deepEqual(stepLines(idx, 'n7'), { line: 10, around: [] });
  assert.deepEqual(stepLines(idx, 'n0'), { line: 9, around: [] });
});
