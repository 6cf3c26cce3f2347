// Talks to the layout worker: one promise per layout request.

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
  layoutInWorker(warmupGraph()).catch(() => {});
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

/** A small chain so ELK's code is compiled before the user's first circuit arrives. */
function warmupGraph() {
  const children = Array.from({ length: 24 }, (_, i) => ({ id: `w${i}`, width: 30, height: 30 }));
  const edges = children.slice(1).map((c, i) => ({ id: `e${i}`, sources: [`w${i}`], targets: [c.id] }));
  return { id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }, children, edges };
}
