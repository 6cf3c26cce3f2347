// Export ▸ HTML: the circuit as one self-contained file (numbers, animation, explanations) that works
// offline with no server; the server writes it (POST /api/export/html), as Circuit.save_html does.
import { post } from './api.js';
import { download } from './exporter.js';
import { inputValues } from './graph-state.js';

/** Adds "Standalone HTML" to the Export menu. */
export function mountHtmlExport(app, { menu, toast }) {
  const button = Object.assign(document.createElement('button'), { id: 'export-html', textContent: 'Standalone HTML' });
  button.title = 'One file with the circuit, its numbers, the animation and explanations: opens offline';
  menu.append(button);
  button.addEventListener('click', async () => {
    const graph = app.getGraph();
    if (!graph) return;
    try {
      const res = await post('/api/export/html', { ...app.getProgram(), values: inputValues(graph) });
      download(res.filename, res.html, 'text/html');
    } catch (err) {
      toast(`Export as HTML: ${err.message}`);
    }
  });
}
