import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { indexGraph } from '../../static/js/graph-state.js';
import { buildRowGraphs, readRows } from '../../static/js/layout.js';
import { canonicalRow, renamed } from '../../static/js/row-keys.js';
import { chainGraph } from './chain.js';

const require = createRequire(import.meta.url);
const ELK = require('elkjs/lib/elk.bundled.js');

/** What the layout worker sends back (layout-worker.js: lean): boxes, wires and label boxes. */
function lean(n) {
  const out = { id: n.id, x: n.x, y: n.y, width: n.width, height: n.height };
  if (n.children?.length) out.children = n.children.map(lean);
  if (n.edges?.length) out.edges = n.edges.map((e) => ({ id: e.id, sections: e.sections, labels: (e.labels || []).map(({ x, y, width, height }) => ({ x, y, width, height })) }));
  return out;
}

test('the middle rows of a deep chain share one key, and the first and last rows differ', () => {
  const { graphs } = buildRowGraphs(indexGraph(chainGraph(30)));
  const keys = graphs.map((g) => canonicalRow(g).key);
  assert.ok(graphs.length > 5, `${graphs.length} rows`);
  assert.ok(new Set(keys).size < graphs.length - 2, `${new Set(keys).size} keys for ${graphs.length} rows`);
  assert.notEqual(keys[0], keys[2], 'the first row holds the inputs');
  assert.notEqual(keys.at(-1), keys.at(-2), 'the last row holds the output');
  for (const id of ['m10', 'w', 'ghost:1:w', 'm10:0']) assert.ok(!keys.some((k) => k.includes(`"${id}"`) || k.includes(`"${id}.`)), id);
});

test('a row laid out under its canonical ids reads back as the same model as laid out itself', async () => {
  const { graphs } = buildRowGraphs(indexGraph(chainGraph(30)));
  const elk = new ELK();
  const direct = readRows(await Promise.all(graphs.map(async (g) => lean(await elk.layout(structuredClone(g))))));
  const rows = graphs.map(canonicalRow);
  const shared = new Map();
  for (const row of rows) if (!shared.has(row.key)) shared.set(row.key, lean(await elk.layout(structuredClone(row.graph))));
  const via = readRows(rows.map((row) => renamed(shared.get(row.key), row.ids)));
  assert.deepEqual(Object.keys(via.nodes).sort(), Object.keys(direct.nodes).sort());
  assert.deepEqual(Object.keys(via.edges).sort(), Object.keys(direct.edges).sort());
  assert.deepEqual(Object.keys(via.ghosts).sort(), Object.keys(direct.ghosts).sort());
  assert.deepEqual(via, direct);
});
