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
      results.push(await elk.layout(graph));
    }
    cancelled.delete(id);
    self.postMessage({ id, results });
  } catch (err) {
    self.postMessage({ id, error: String(err?.message || err) });
  }
};
