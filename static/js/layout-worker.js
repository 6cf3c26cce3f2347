// Web Worker running ELK, so laying out a large circuit never freezes the page. A job is a list of
// rows (rows.js); a newer job's {cancel} stops an older one between rows.
/* global importScripts, ELK */
// The notebook bundle's Blob worker has ELK's source in front of this file instead.
if (typeof ELK === 'undefined') importScripts('/vendor/elkjs/elk.bundled.js');

const elk = new ELK();
const cancelled = new Set();

self.onmessage = async (ev) => {
  const { id, graphs, cancel } = ev.data;
  if (cancel !== undefined) return void cancelled.add(cancel);
  const results = [];
  try {
    for (const graph of graphs) {
      // Let a cancel message in between rows.
      if (results.length) await new Promise((resolve) => setTimeout(resolve, 0));
      if (cancelled.delete(id)) return;
      results.push(lean(await elk.layout(graph)));
    }
    cancelled.delete(id);
    self.postMessage({ id, results });
  } catch (err) {
    self.postMessage({ id, error: String(err?.message || err) });
  }
};

// Only what the page reads back (layout.js: readRows): the structured copy of ELK's whole answer,
// options and ports included, cost the page's main thread 40-80 ms on big circuits.
function lean(n) {
  const out = { id: n.id, x: n.x, y: n.y, width: n.width, height: n.height };
  if (n.children?.length) out.children = n.children.map(lean);
  if (n.edges?.length) out.edges = n.edges.map(leanEdge);
  return out;
}

function leanEdge(e) {
  const sections = (e.sections || []).map((s) => ({ startPoint: s.startPoint, bendPoints: s.bendPoints, endPoint: s.endPoint }));
  const labels = (e.labels || []).map((l) => ({ x: l.x, y: l.y, width: l.width, height: l.height }));
  return { id: e.id, sections, labels };
}
