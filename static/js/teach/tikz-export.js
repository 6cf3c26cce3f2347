// Export ▸ TikZ: the annotated circuit as a standalone LaTeX document, laid out as on the page.
import { post } from '../api.js';
import { download } from '../exporter.js';
import { inputValues } from '../graph-state.js';
import { errorText, t } from '../i18n.js';
import { mark } from '../i18n-dom.js';

/** Adds "Circuit as TikZ" (and the same with each gate's local gradients) to the Export menu. */
export function mountTikzExport(app, { menu, toast }) {
  for (const [id, text, formulas] of [['export-tikz', 'export.tikz', false], ['export-tikz-formulas', 'export.tikz_formulas', true]]) {
    const button = mark(Object.assign(document.createElement('button'), { id }), { text });
    menu.append(button);
    button.addEventListener('click', () => exportTikz(app, formulas, toast));
  }
}

/** Downloads the circuit as a LaTeX document, drawn where the page draws it. */
async function exportTikz(app, formulas, toast) {
  const graph = app.getGraph();
  if (!graph) return;
  try {
    const body = { ...app.getProgram(), values: inputValues(graph), target: 'tikz', formulas, layout: layoutPayload(app.getLayout()) };
    const res = await post('/api/codegen', body);
    download(res.filename || 'gatewise_circuit.tex', res.code, 'application/x-tex');
  } catch (err) {
    toast(() => t('toast.export_failed', { what: 'TikZ', message: errorText(err) }));
  }
}

/** The page's ELK layout in the API's shape (boxes, wires with label anchors, size). */
export function layoutPayload(model) {
  if (!model) return null;
  const box = (b) => ({ x: b.x, y: b.y, w: b.w, h: b.h });
  const edges = {};
  for (const [id, e] of Object.entries(model.edges)) {
    edges[id] = { points: e.points.map((p) => ({ x: p.x, y: p.y })), ...(e.label ? { label: { x: e.label.x, y: e.label.y } } : {}) };
  }
  const map = (o) => Object.fromEntries(Object.entries(o).map(([k, b]) => [k, box(b)]));
  return { nodes: map(model.nodes), groups: map(model.groups || {}), edges, width: model.width, height: model.height };
}
