// Tiny SVG element helpers shared by the rendering modules.

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes, optionally appended to a parent. */
export function el(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

/** Sets an attribute only when it changes, so per-step updates touch as little DOM as possible. */
export function setAttr(node, name, value) {
  const v = String(value);
  if (node.getAttribute(name) !== v) node.setAttribute(name, v);
}

/** Sets text content only when it changes. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Polyline path with small rounded corners, for orthogonal wires. */
export function wirePath(points, r = 5) {
  if (!points.length) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r1 = Math.min(r, dist(a, b) / 2, dist(b, c) / 2);
    const p = toward(b, a, r1);
    const q = toward(b, c, r1);
    d += `L${p.x},${p.y}Q${b.x},${b.y} ${q.x},${q.y}`;
  }
  const last = points[points.length - 1];
  return `${d}L${last.x},${last.y}`;
}

/** Distance between two points. */
function dist(a, b) {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** The point at distance d from a toward b. */
function toward(a, b, d) {
  const n = dist(a, b) || 1;
  return { x: a.x + ((b.x - a.x) * d) / n, y: a.y + ((b.y - a.y) * d) / n };
}
