// Talks to the layout worker: one promise per layout request.

import { indexGraph } from './graph-state.js';
import { buildElkGraph } from './layout.js';

let worker = null;
let nextId = 1;
const pending = new Map();

/** Starts the worker once (and warms ELK up with a tiny layout so the first real one is quick). */
export function startLayoutWorker() {
  if (worker) return;
  worker = new Worker(new URL('./layout-worker.js', import.meta.url));
  worker.onmessage = (ev) => {
    const { id, result, error } = ev.data;
    const p = pending.get(id);
    pending.delete(id);
    if (!p) return;
    if (error) p.reject(new Error(error));
    else p.resolve(result);
  };
  const warm = warmupGraph();
  layoutInWorker(warm)
    .then(() => layoutInWorker(warm))
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

/** A small circuit with ports and labels, so ELK's code is compiled before the user's first one. */
function warmupGraph() {
  const nodes = Array.from({ length: 40 }, (_, i) => {
    const inputs = i < 4 ? [] : [`n${(i * 7) % i}`, `n${i - 1}`];
    return { id: `n${i}`, kind: i < 4 ? 'input' : 'op', label: i < 4 ? `x${i}` : '+', inputs, shape: [], value: 1, grad: 1 };
  });
  const edges = nodes.flatMap((n) => n.inputs.map((s, port) => ({ id: `${n.id}:${port}`, source: s, target: n.id, port })));
  return buildElkGraph(indexGraph({ output: 'n39', nodes, edges, groups: {}, inputs: {} }));
}
