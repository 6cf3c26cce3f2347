// Keyboard moves between gates on the drawing: the nearest gate in an arrow's direction. Pure: no DOM.

const DIRS = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowDown: [0, 1],
  ArrowUp: [0, -1],
};

/** The id of the node nearest to `from` in the arrow's direction (by box centres), or null.
 *  Off-axis distance counts double, so → follows the wire's row before jumping to another. */
export function nearestInDirection(nodes, from, key) {
  const dir = DIRS[key];
  const a = nodes[from];
  if (!dir || !a) return null;
  const ca = centre(a);
  let best = null;
  let bestCost = Infinity;
  for (const [id, b] of Object.entries(nodes)) {
    if (id === from) continue;
    const cb = centre(b);
    const along = (cb.x - ca.x) * dir[0] + (cb.y - ca.y) * dir[1];
    if (along <= 1) continue;
    const across = Math.abs((cb.x - ca.x) * dir[1] - (cb.y - ca.y) * dir[0]);
    const cost = along + 2 * across;
    if (cost < bestCost) [best, bestCost] = [id, cost];
  }
  return best;
}

/** The gate the keyboard starts on: the selected one, else the first input, else the first node. */
export function entryNode(graph, selected) {
  if (selected && graph.nodes.some((n) => n.id === selected)) return selected;
  return Object.values(graph.inputs || {})[0] ?? graph.nodes[0]?.id ?? null;
}

/** A node's box centre. */
function centre(b) {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}
