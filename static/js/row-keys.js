// Rows that differ only in their ids are laid out once: a row's ELK graph is keyed with its ids
// replaced by their positions (a deep chain's rows are all alike but for their names), and the one
// layout is read back under each row's own ids. Pure: no DOM.

/** {graph, key, ids}: the row with ids n0, n1… (ports and labels named after their owner), its
 *  cache key (the JSON of that), and the map from those ids back to the row's own. */
export function canonicalRow(row) {
  const to = new Map();
  const ids = new Map();
  const name = (id, as) => {
    to.set(id, as);
    ids.set(as, id);
    return as;
  };
  let count = 0;
  const node = (n) => {
    const id = name(n.id, `n${count++}`);
    const out = { ...n, id };
    if (n.ports) out.ports = n.ports.map((p, i) => ({ ...p, id: name(p.id, `${id}.p${i}`) }));
    if (n.children) out.children = n.children.map(node);
    return out;
  };
  const graph = node(row);
  // Edges last: one may end at a port of a node met later in the tree.
  const wires = (n, out) => {
    if (n.edges) out.edges = n.edges.map((e) => edge(e, to, name, `e${count++}`));
    (n.children || []).forEach((c, i) => wires(c, out.children[i]));
  };
  wires(row, graph);
  return { graph, key: JSON.stringify(graph), ids };
}

/** One edge renamed: its own id, its labels' and the ports it joins. */
function edge(e, to, name, as) {
  const id = name(e.id, as);
  const port = (p) => to.get(p) ?? p;
  const labels = (e.labels || []).map((l, i) => ({ ...l, id: name(l.id, `${id}.l${i}`) }));
  return { ...e, id, sources: e.sources.map(port), targets: e.targets.map(port), labels };
}

/** A laid-out row (the worker's lean result, see layout-worker.js) under the original ids. */
export function renamed(result, ids) {
  const back = (id) => ids.get(id) ?? id;
  const node = (n) => {
    const out = { ...n, id: back(n.id) };
    if (n.children) out.children = n.children.map(node);
    if (n.edges) out.edges = n.edges.map((e) => ({ ...e, id: back(e.id) }));
    return out;
  };
  return node(result);
}
