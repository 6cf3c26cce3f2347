// Talks to the layout worker: one promise per layout; a newer layout cancels a stale one. Rows laid
// out before are taken from a cache, so an expansion or an added line lays out only what changed.

import { indexGraph } from './graph-state.js';
import { buildElkGraph } from './layout.js';
import { canonicalRow, renamed } from './row-keys.js';
import { createSlicer, mapSliced } from './slices.js';

// A stale job with a row this big is cut short by restarting the worker (a row cannot be stopped
// halfway); smaller jobs stop at their next row.
const RESTART_NODES = 300;
const CACHE_ROWS = 600; // laid-out rows kept, by their ELK graph's JSON with ids by position (row-keys.js)

let worker = null;
let makeWorker = () => new Worker(new URL('./layout-worker.js', import.meta.url));
let nextId = 1;
const pending = new Map(); // id -> {resolve, reject, size, real}
const cache = new Map();

/** Replaces how the worker is made (the notebook bundle makes it from a Blob: it has no server). */
export function setWorkerFactory(factory) {
  makeWorker = factory;
}

/** Starts the worker once (and warms ELK up with small layouts so the first real one is quick). */
export function startLayoutWorker({ warm = true } = {}) {
  if (worker) return;
  worker = makeWorker();
  worker.onmessage = (ev) => {
    const { id, results, error } = ev.data;
    const p = pending.get(id);
    pending.delete(id);
    if (!p) return;
    if (error) p.reject(new Error(error));
    else p.resolve(results);
  };
  if (!warm) return;
  // A few background layouts of a small and a mid-size circuit get ELK's hot code compiled.
  // (One at a time, so a real request waits for one small warm-up at most.)
  send([warmupGraph(40)], false)
    .then(() => send([warmupGraph(100)], false))
    .then(() => send([warmupGraph(40)], false))
    .catch(() => {});
}

/** Forgets every laid-out row (the benchmark measures layouts from scratch). */
export function clearLayoutCache() {
  cache.clear();
}

/** Lays out one ELK JSON graph in the worker (see layoutRows). */
export async function layoutInWorker(graph) {
  return (await layoutRows([graph]))[0];
}

/** Lays out ELK JSON graphs (the rows of a circuit), reusing cached rows; any older layout still
 *  waiting is cancelled (its promise rejects with an AbortError). A slicer (slices.js) cuts the
 *  rows' keys and renaming into pieces; if it finds the layout superseded, it rejects likewise. */
export async function layoutRows(graphs, slicer = createSlicer()) {
  startLayoutWorker();
  cancelStale();
  const rows = await mapSliced(graphs, canonicalRow, slicer); // rows alike but for their ids are laid out once
  if (!rows) throw aborted('a newer layout replaced this one');
  const missing = new Map();
  for (const row of rows) if (!cache.has(row.key)) missing.set(row.key, row.graph);
  if (missing.size) {
    if (!(await slicer.step())) throw aborted('a newer layout replaced this one'); // the copy to the worker is a piece too
    const results = await send([...missing.values()], true);
    slicer.restart(); // the answer's copy in was this piece's start
    [...missing.keys()].forEach((k, j) => remember(k, results[j]));
  }
  const out = await mapSliced(rows, (row) => renamed(remember(row.key, cache.get(row.key)), row.ids), slicer);
  if (!out) throw aborted('a newer layout replaced this one');
  return out;
}

/** The error a cancelled layout rejects with. */
function aborted(message) {
  return Object.assign(new Error(message), { name: 'AbortError' });
}

/** Puts a row's result last in the cache (most recently used), dropping the oldest beyond its size. */
function remember(key, result) {
  cache.delete(key);
  cache.set(key, result);
  if (cache.size > CACHE_ROWS) cache.delete(cache.keys().next().value);
  return result;
}

/** Rejects every real layout still pending, restarting the worker if a big row is in the way. */
function cancelStale() {
  let big = false;
  for (const [id, p] of pending) {
    if (!p.real) continue;
    big ||= p.size > RESTART_NODES;
    pending.delete(id);
    worker.postMessage({ cancel: id });
    p.reject(aborted('a newer layout replaced this one'));
  }
  if (!big) return;
  worker.terminate();
  worker = null;
  for (const p of pending.values()) p.reject(aborted('restarted'));
  pending.clear();
  startLayoutWorker({ warm: false });
}

/** Posts one job: a list of graphs, laid out in order. */
function send(graphs, real) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, real, size: Math.max(...graphs.map(countNodes)) });
    worker.postMessage({ id, graphs });
  });
}

/** Nodes in an ELK graph, compound children included. */
function countNodes(g) {
  return (g.children || []).reduce((n, c) => n + 1 + countNodes(c), 0);
}

/** A layered circuit with ports and labels (short edges: cheap), so ELK's hot code gets compiled. */
function warmupGraph(size) {
  const w = 8;
  const nodes = Array.from({ length: size }, (_, i) => {
    const inputs = i < w ? [] : [`n${i - w}`, `n${i - w + ((i + 1) % w === 0 ? 0 : 1)}`];
    return { id: `n${i}`, kind: i < w ? 'input' : 'op', label: i < w ? `x${i}` : '+', inputs, shape: [], value: 1, grad: 1 };
  });
  const edges = nodes.flatMap((n) => n.inputs.map((s, port) => ({ id: `${n.id}:${port}`, source: s, target: n.id, port })));
  return buildElkGraph(indexGraph({ output: `n${size - 1}`, nodes, edges, groups: {}, inputs: {} }));
}
