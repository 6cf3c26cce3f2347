import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { indexGraph } from '../../static/js/graph-state.js';
import { buildRowGraphs, buildRowGraphsSliced, readRows } from '../../static/js/layout.js';
import { createSlicer } from '../../static/js/slices.js';
import { ONE_ROW_DEPTH, planRows } from '../../static/js/rows.js';
import { fitLabels, labelBox } from '../../static/js/declutter.js';
import { chainGraph } from './chain.js';
import { fanoutGraph } from './fixtures.js';

const require = createRequire(import.meta.url);
const ELK = require('elkjs/lib/elk.bundled.js');

test('a shallow circuit stays in one row', () => {
  assert.equal(planRows(indexGraph(fanoutGraph())).count, 1);
  assert.equal(planRows(indexGraph(chainGraph(Math.floor(ONE_ROW_DEPTH / 4) - 1))).count, 1);
});

test('a deep chain is cut into rows between statements, and wires never go up a row', () => {
  const graph = chainGraph(60);
  const plan = planRows(indexGraph(graph));
  assert.ok(plan.count > 5, `${plan.count} rows`);
  const rowOfLine = new Map();
  for (const n of graph.nodes) {
    const r = plan.rowOf.get(n.id);
    if (rowOfLine.has(n.line)) assert.equal(rowOfLine.get(n.line), r, `line ${n.line} is split`);
    rowOfLine.set(n.line, r);
  }
  for (const e of graph.edges) assert.ok(plan.rowOf.get(e.source) <= plan.rowOf.get(e.target), e.id);
  assert.equal(plan.rowOf.get('c60'), plan.rowOf.get('h60'), 'a constant sits in the row of its use');
});

test('a value from an earlier row enters as one ghost per row, and every edge is laid out once', () => {
  const index = indexGraph(chainGraph(30));
  const { plan, graphs } = buildRowGraphs(index);
  const ids = graphs.flatMap((g) => g.edges.map((e) => e.id));
  for (const e of index.graph.edges) assert.equal(ids.filter((x) => x === e.id).length, 1, e.id);
  const last = graphs.at(-1);
  const ghosts = last.children.filter((c) => c.id.startsWith('ghost:')).map((c) => c.id.split(':')[2]);
  assert.ok(ghosts.includes('w') && ghosts.includes('b'), ghosts.join());
  assert.equal(new Set(ghosts).size, ghosts.length);
  assert.equal(graphs.length, plan.count);
});

test('rows are stacked without overlapping, inputs still enter gates in port order', async () => {
  const { graphs } = buildRowGraphs(indexGraph(chainGraph(20)));
  const elk = new ELK();
  const model = readRows(await Promise.all(graphs.map((g) => elk.layout(g))));
  for (let r = 1; r < model.rows.length; r++) assert.ok(model.rows[r].y0 > model.rows[r - 1].y1);
  const e0 = model.edges['m20:0'].points.at(-1);
  const e1 = model.edges['m20:1'].points.at(-1);
  assert.ok(e0.y < e1.y, 'port 0 enters above port 1');
  assert.ok(model.ghosts[`ghost:${model.rows.length - 1}:w`], 'w enters the last row as a ghost');
});

test('labels that fit are never drawn over each other or over a gate', () => {
  const items = Array.from({ length: 60 }, (_, i) => ({ id: `l${i}`, x: (i % 6) * 30, y: Math.floor(i / 6) * 9, chars: 5, base: 'above', scalar: true }));
  const gate = { x0: 40, y0: 0, x1: 80, y1: 40 };
  const shown = fitLabels(items, [gate], 12.5, 0.6);
  const boxes = items.filter((it) => shown.has(it.id)).map((it) => labelBox(it, 12.5, 0.6));
  assert.ok(boxes.length > 3);
  const touch = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => assert.ok(!touch(a, b))));
  assert.ok(boxes.every((b) => !touch(b, gate)));
  assert.ok(shown.has('l0'), 'the first (most important) label is kept');
});

test('rows built in pieces are the rows built at once, and a superseded build stops', async () => {
  const index = indexGraph(chainGraph(60));
  const whole = buildRowGraphs(index);
  let t = 0;
  let waits = 0;
  const slicer = createSlicer({ budget: 0, now: () => ++t, wait: async () => void waits++ }); // every row is a piece
  const sliced = await buildRowGraphsSliced(index, slicer);
  assert.deepEqual(sliced.graphs, whole.graphs);
  assert.deepEqual([...sliced.plan.rowOf], [...whole.plan.rowOf]);
  assert.equal(waits, whole.plan.count); // after the plan, then between rows
  let live = 3;
  const stopping = createSlicer({ budget: 0, now: () => ++t, wait: async () => {}, alive: () => --live > 0 });
  assert.equal(await buildRowGraphsSliced(index, stopping), null);
});
