// The note over the circuit (where backpropagation starts when the output is no scalar), written in
// the page's language from the graph's data: its seed, the output's shape, the given gradient's line.
import { t } from './i18n.js';

/** The graph's note in the page's language ('' when it has none). */
export function graphNote(graph) {
  if (!graph?.note) return '';
  if (graph.seed === 'ones') {
    const out = graph.nodes.find((n) => n.id === graph.output);
    return t('note.ones', { shape: pythonTuple(out?.shape || []) });
  }
  const given = (graph.handwritten || []).filter((v) => v.verdict === 'given' && v.value !== null && v.value !== undefined).at(-1);
  if (graph.seed === 'given' && given) return t('note.given', { name: given.name, target: given.target, line: given.line });
  return graph.note; // a note this page has no words for: the server's
}

/** A shape as Python writes a tuple: (3,) or (2, 3). */
function pythonTuple(shape) {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
