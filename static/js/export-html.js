// Export ▸ HTML: the circuit as one self-contained file (numbers, animation, explanations) that works
// offline with no server; the server writes it (POST /api/export/html), as Circuit.save_html does.
import { post } from './api.js';
import { download } from './exporter.js';
import { inputValues } from './graph-state.js';
import { errorText, t } from './i18n.js';

/** Adds "Standalone HTML" to the Export menu. */
export function mountHtmlExport(app, { menu, toast }) {
  const button = Object.assign(document.createElement('button'), { id: 'export-html', textContent: t('export.html') });
  button.dataset.i18n = 'export.html';
  button.dataset.i18nTitle = 'export.html_title';
  button.title = t('export.html_title');
  menu.append(button);
  button.addEventListener('click', async () => {
    const graph = app.getGraph();
    if (!graph) return;
    try {
      const res = await post('/api/export/html', { ...app.getProgram(), values: inputValues(graph) });
      download(res.filename, res.html, 'text/html');
    } catch (err) {
      toast(() => t('toast.export_failed', { what: 'HTML', message: errorText(err) }));
    }
  });
}
