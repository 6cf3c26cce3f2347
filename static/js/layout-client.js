// Talks to the layout worker: one promise per layout request; a newer layout cancels a stale one.

import { indexGraph } from './graph-state.js';
import { buildElkGraph } from './layout.js';

// A stale layout this big is cut short by restarting the worker (a fresh ELK costs less than
// finishing seconds of work nobody will see); smaller ones just finish and are dropped.
const RESTART_NODES = 150;

let worker = null;
let makeWorker = () => new Worker(new URL('./layout-worker.js', import.meta.url));
let nextId = 1;
const pending = new Map(); // id -> {resolve, reject, size, real}

/** Replaces how the worker is made (the notebook bundle makes it from a Blob: it has no server). */
export function setWorkerFactory(factory) {
  makeWorker = factory;
}

/** Starts the worker once (and warms ELK up with small layouts so the first real one is quick). */
export function startLayoutWorker({ warm = true } = {}) {
  if (worker) return;
  worker = makeWorker();
  worker.onmessage = (ev) => {
    const { id, result, error } = ev.data;
    const p = pending.get(id);
    pending.delete(id);
    if (!p) return;
    if (error) p.reject(new Error(error));
    else p.resolve(result);
  };
  if (!warm) return;
  // A few background layouts of a small and a mid-size circuit get ELK's hot code compiled.
  // (One at a time, so a real request waits for one small warm-up at most.)
  send(warmupGraph(40), false)
    .then(() => send(warmupGraph(100), false))
    .then(() => send(warmupGraph(40), false))
    .catch(() => {});
}

/** Lays out an ELK JSON graph in the worker; any older layout still waiting is cancelled (its
 *  promise rejects with an AbortError). */
export function layoutInWorker(graph) {
  startLayoutWorker();
  cancelStale();
  return send(graph, true);
}

/** Rejects every real layout still pending, restarting the worker if a big one is in the way. */
function cancelStale() {
  let big = false;
  for (const [id, p] of pending) {
    if (!p.real) continue;
    big ||= p.size > RESTART_NODES;
    pending.delete(id);
    p.reject(Object.assign(new Error('a newer layout replaced this one'), { name: 'AbortError' }));
  }
  if (!big) return;
  worker.terminate();
  worker = null;
  for (const p of pending.values()) p.reject(Object.assign(new Error('restarted'), { name: 'AbortError' }));
  pending.clear();
  startLayoutWorker({ warm: false });
}

/** Posts one job. */
function send(graph, real) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, real, size: countNodes(graph) });
    worker.postMessage({ id, graph });
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
