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
  assert.deepEqual(group.children.map((c) => c.id), ['n1.0', 'n1.1', 'n1']);
  assert.equal(group.edges.length, 2); // the edges inside the group live in it
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
