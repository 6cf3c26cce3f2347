// Which input values a request or a link carries. The page remembers every value the user set
// (sliders, examples, links, training) but sends only those of the program's inputs, as the engine
// lists them in a graph's `inputs` (with each input's position in the text): never guessed by
// parsing the program text. Pure: no DOM.

/** The remembered values whose names are in `names` (a Set; null: all of them). */
export function pickValues(memory, names) {
  return Object.fromEntries(Object.entries(memory).filter(([k]) => !names || names.has(k)));
}

/** The input names of a graph, as a Set. */
export function inputNames(graph) {
  return new Set(Object.keys(graph?.inputs || {}));
}

/** True when two value objects carry the same names. */
export function sameNames(a, b) {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b);
}

/** Each input of a drawn graph: its name, the text of its line, and whether its value is a literal
 *  there (`x = 3`: the engine places such an input at its literal, any other at its first use,
 *  where the text starts with its name). */
export function inputSites(graph, text) {
  const lines = text.split('\n');
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return Object.entries(graph.inputs || {}).map(([name, id]) => {
    const n = byId.get(id);
    const line = lines[(n?.line ?? 0) - 1] ?? '';
    return { name, line: n?.line ?? 0, col: n?.col ?? 1, text: line, literal: !line.startsWith(name, (n?.col ?? 1) - 1) };
  });
}

/** The values to send for a new text, given the last drawn {graph, text} (null: send them all).
 *  first: the inputs still where the engine placed them (a literal input only while its line is
 *  unchanged: a retyped number wins over the slider); fallback: every input of the drawn graph but
 *  the retyped literals, for when an input merely moved. */
export function planValues(drawn, memory, text) {
  if (!drawn) return { first: { ...memory }, fallback: null };
  const lines = text.split('\n');
  const kept = new Set();
  const moved = new Set();
  for (const s of inputSites(drawn.graph, drawn.text)) {
    const now = lines[s.line - 1] ?? '';
    if (s.literal ? now === s.text : now.startsWith(s.name, s.col - 1)) kept.add(s.name);
    else if (!s.literal) moved.add(s.name);
  }
  const first = pickValues(memory, kept);
  const fallback = pickValues(memory, new Set([...kept, ...moved]));
  return { first, fallback: sameNames(first, fallback) ? null : fallback };
}

/** Names of a new graph's literal inputs that the user retyped since the drawn graph (their
 *  remembered values are stale: the number in the text wins). */
export function retyped(drawn, graph, text) {
  if (!drawn) return [];
  const before = new Map(inputSites(drawn.graph, drawn.text).filter((s) => s.literal).map((s) => [s.name, s.text]));
  return inputSites(graph, text).filter((s) => s.literal && before.get(s.name) !== s.text).map((s) => s.name);
}
