// Web Worker running ELK, so laying out a large circuit never freezes the page.
/* global importScripts, ELK */
// The notebook bundle's Blob worker has ELK's source in front of this file instead.
if (typeof ELK === 'undefined') importScripts('/vendor/elkjs/elk.bundled.js');

const elk = new ELK();

self.onmessage = async (ev) => {
  const { id, graph } = ev.data;
  try {
    const result = await elk.layout(graph);
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: String(err?.message || err) });
  }
};
