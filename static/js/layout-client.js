// Talks to the layout worker: one promise per layout request.

import { indexGraph } from './graph-state.js';
import { buildElkGraph } from './layout.js';

let worker = null;
let makeWorker = () => new Worker(new URL('./layout-worker.js', import.meta.url));
let nextId = 1;
const pending = new Map();

/** Replaces how the worker is made (the notebook bundle makes it from a Blob: it has no server). */
export function setWorkerFactory(factory) {
  makeWorker = factory;
}

/** Starts the worker once (and warms ELK up with a tiny layout so the first real one is quick). */
export function startLayoutWorker() {
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
  // A few background layouts of a small and a mid-size circuit get ELK's hot code compiled.
  // (One at a time, so a real request waits for one small warm-up at most.)
  layoutInWorker(warmupGraph(40))
    .then(() => layoutInWorker(warmupGraph(100)))
    .then(() => layoutInWorker(warmupGraph(40)))
    .catch(() => {});
}

/** Lays out an ELK JSON graph in the worker. */
export function layoutInWorker(graph) {
  startLayoutWorker();
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, graph });
  });
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
