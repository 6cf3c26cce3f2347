import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { indexGraph } from '../../static/js/graph-state.js';
import { STUB_ID, buildElkGraph, layoutOptions, nodeBox, portPositions, readLayout } from '../../static/js/layout.js';
import { fanoutGraph, groupedGraph } from './fixtures.js';

const require = createRequire(import.meta.url);
const ELK = require('elkjs/lib/elk.bundled.js');

test('ports: input 0 above input 1 on the west side, output on the east', () => {
  const box = nodeBox({ kind: 'op', label: '÷' }, 2);
  const p = portPositions(box, 2);
  assert.ok(p.ins[0].y < p.ins[1].y);
  assert.equal(p.ins[0].x, 0);
  assert.equal(p.out.x, box.w);
});

test('the ELK graph has one node per API node, one edge per API edge, and the output stub', () => {
  const elk = buildElkGraph(indexGraph(fanoutGraph()));
  assert.deepEqual(elk.children.map((c) => c.id), ['n0', 'n1', 'n2', 'n3', STUB_ID]);
  assert.equal(elk.edges.length, 5);
  assert.deepEqual(elk.edges.find((e) => e.id === 'n3:1').targets, ['n3.in1']);
});

test('expanded composites become compound nodes holding their members', () => {
  const elk = buildElkGraph(indexGraph(groupedGraph()));
  const group = elk.children.find((c) => c.id === 'group:n1');
  // The engine's expansion of sigmoid, 1 / (1 + exp(-x)): two constants and four gates.
  assert.deepEqual(group.children.map((c) => c.id), ['n1.0', 'n1.1', 'n1.2', 'n1.3', 'n1.4', 'n1']);
  assert.equal(group.edges.length, 5); // the edges inside the group live in it (x -> n1.0 does not)
});

test('big graphs get the cheaper layout passes', () => {
  assert.equal(layoutOptions(10)['elk.layered.thoroughness'], undefined);
  assert.equal(layoutOptions(100)['elk.layered.thoroughness'], '1');
  assert.equal(layoutOptions(1000)['elk.layered.thoroughness'], '1');
});

test('ELK lays out inputs left of the output, keeping port order (a - b)', async () => {
  const model = readLayout(await new ELK().layout(buildElkGraph(indexGraph(fanoutGraph()))));
  assert.ok(model.nodes.n0.x < model.nodes.n2.x && model.nodes.n2.x < model.nodes.n3.x);
  const e0 = model.edges['n2:0'].points.at(-1);
  const e1 = model.edges['n2:1'].points.at(-1);
  assert.ok(e0.y < e1.y, 'port 0 enters above port 1');
  assert.ok(model.edges['n2:0'].label, 'every wire has a label anchor');
});

test('a grouped layout reports the group frame around its members', async () => {
  const model = readLayout(await new ELK().layout(buildElkGraph(indexGraph(groupedGraph()))));
  const g = model.groups.n1;
  const n = model.nodes['n1.1'];
  assert.ok(g.x <= n.x && n.x + n.w <= g.x + g.w && g.y <= n.y && n.y + n.h <= g.y + g.h);
});

test('without a reserved label, numbers sit on the last horizontal run into the target', () => {
  const result = {
    width: 200,
    height: 100,
    children: [{ id: 'a', x: 0, y: 0, width: 10, height: 10 }, { id: 'group:g', x: 50, y: 0, width: 100, height: 90, children: [] }],
    edges: [{ id: 'e', sections: [{ startPoint: { x: 10, y: 5 }, bendPoints: [{ x: 30, y: 5 }, { x: 30, y: 60 }], endPoint: { x: 90, y: 60 } }] }],
  };
  const model = readLayout(result);
  assert.deepEqual(model.edges.e.label, { x: 60, y: 60 });
  assert.deepEqual(model.groups.g, { x: 50, y: 0, w: 100, h: 90 });
  assert.deepEqual(model.nodes.a, { x: 0, y: 0, w: 10, h: 10 });
});

test('big graphs reserve no label space (labels would double ELK\'s work)', () => {
  // One row of 450 nodes: rows beyond LABELLED_NODES (250) put the numbers on the wire into a gate.
  const nodes = Array.from({ length: 450 }, (_, i) => ({ id: `n${i}`, kind: i ? 'op' : 'input', label: i ? '+' : 'x', shape: [] }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `${n.id}:0`, source: `n${i}`, target: n.id, port: 0 }));
  const elk = buildElkGraph(indexGraph({ output: 'n449', nodes, edges, groups: {}, inputs: {} }));
  assert.ok(elk.edges.every((e) => e.labels.length === 0));
});
