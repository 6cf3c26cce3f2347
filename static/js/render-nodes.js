// The circuit's node elements: gates, inputs and constants, ghosts (a value from an earlier row),
// their texts and their spoken names; and the frames of expanded composites.
import { el, setAttr, setText } from './svg.js';
import { ghostBox, nodeBox } from './layout.js';
import { displayLabel, formatNumber, formatShape, gradLabel } from './format.js';
import { exprName } from './graph-state.js';
import { t } from './i18n.js';

/** Creates an empty node element (its shape is drawn by placeNode). */
export function makeNode(layer, id) {
  return el('g', { class: 'node', 'data-node-id': id, 'data-state': 'pending', tabindex: '-1', role: 'button' }, layer);
}

/** Positions a node and (re)draws its shape when its kind or label changed. */
export function placeNode(g, idx, id, model) {
  const node = idx.byId.get(id);
  const box = model.nodes[id] || { x: 0, y: 0, w: 0, h: 0 };
  setAttr(g, 'transform', `translate(${box.x},${box.y})`);
  const sig = `${node.kind}|${node.label}|${node.name}|${(node.shape || []).join('x')}|${box.w}|${box.h}|${node.composite}`;
  if (g.dataset.sig === sig) return;
  g.dataset.sig = sig;
  g.replaceChildren();
  g.sigma = null;
  g.seen = null;
  g.setAttribute('class', `node kind-${node.kind}${node.composite ? ' composite' : ''}${(node.shape || []).length ? ' tensor' : ''}`);
  const arity = (idx.inEdges.get(id) || []).length;
  const shape = nodeBox(node, arity);
  drawNodeShape(g, node, { ...shape, w: box.w, h: box.h });
  // The node's aria-label says all its texts say, in words: they are not read twice.
  for (const t of g.querySelectorAll('text')) t.setAttribute('aria-hidden', 'true');
}

/** Draws a node's shape and texts: inputs and constants as tags, gates as circles or pills. */
function drawNodeShape(g, node, box) {
  if (node.kind === 'op') return drawGate(g, node, box);
  const rx = node.kind === 'const' ? 4 : 8;
  el('rect', { class: 'focus-ring', x: -5, y: -5, width: box.w + 10, height: box.h + 10, rx: rx + 4 }, g);
  el('rect', { class: 'body', x: 0, y: 0, width: box.w, height: box.h, rx }, g);
  const tensor = (node.shape || []).length > 0;
  const label = el('text', { class: 'label', x: box.w / 2, y: tensor ? 17 : box.h / 2 }, g);
  label.textContent = `${node.kind === 'input' ? node.name || node.label : node.label} `; // see the shape's space
  // Spaces around texts (not drawn) keep the node's text content "W 2×3", as its accessible name says.
  if (tensor) el('text', { class: 'shape', x: box.w / 2, y: 33 }, g).textContent = ` ${formatShape(node.shape)}`;
  el('text', { class: 'node-grad', x: box.w / 2, y: box.h + 11 }, g);
}

/** Draws a gate: its symbol in a circle (short) or pill (long), its user name above. */
function drawGate(g, node, box) {
  const gh = box.h - box.top;
  const round = String(node.label).length <= 2;
  const attrs = { class: 'body', x: 0, y: box.top, width: box.w, height: gh, rx: round ? gh / 2 : 12 };
  el('rect', { class: 'focus-ring', x: -6, y: box.top - 6, width: box.w + 12, height: gh + 12, rx: attrs.rx + 6 }, g);
  el('rect', attrs, g);
  if (node.composite) el('rect', { class: 'composite-ring', x: -3, y: box.top - 3, width: box.w + 6, height: gh + 6, rx: attrs.rx + 3 }, g);
  el('text', { class: 'label', x: box.w / 2, y: box.top + gh / 2 }, g).textContent = `${displayLabel(node)} `;
  if (node.name) el('text', { class: 'name', x: box.w / 2, y: box.top - 5 }, g).textContent = ` ${node.name}`;
  el('text', { class: 'node-grad', x: box.w / 2, y: box.h + 11 }, g);
}

/** The Σ under a fanned-out node (its gradient is the sum of its wires' contributions), and the
 *  node's spoken name with its numbers. */
export function updateNodeNumbers(g, idx, node) {
  if (!g) return;
  // The Σ text and the texts that never change, found once per drawn shape (scrubbing calls this
  // for every node on every update).
  g.sigma ??= g.querySelector('.node-grad');
  const t = g.sigma;
  if (!t) return;
  g.seen ??= [...g.querySelectorAll('text')].filter((x) => x !== t).map((x) => x.textContent.trim()).filter(Boolean);
  const fan = (idx.outEdges.get(node.id) || []).length > 1 && node.grad !== null && node.grad !== undefined;
  setText(t, fan ? `Σ ${gradLabel(node.grad, node.shape)}` : '');
  setAttr(g, 'aria-label', spoken([...g.seen, t.textContent.trim()].filter(Boolean).join(' '), node));
}

/** What a screen reader says for a node: its drawn texts first (so the name matches what is seen),
 *  then what it is, its value and its gradient. */
function spoken(seen, node) {
  const what = node.kind === 'op' ? t('node.gate', { op: node.op }) : t(`node.${node.kind}`);
  const more = node.composite ? t('node.expand') : '';
  if ((node.shape || []).length) return t('node.spoken_tensor', { seen, what, shape: formatShape(node.shape), more });
  return t('node.spoken', { seen, what, value: formatNumber(node.value), grad: formatNumber(node.grad), more });
}

/** Creates a ghost: a dashed tag naming a value made in an earlier row (it acts as that node). */
export function makeGhost(layer, id, index, source) {
  const g = el('g', { class: 'node ghost kind-input', 'data-ghost-of': source, 'data-state': 'pending' }, layer);
  const box = ghostBox(index, source);
  el('rect', { class: 'body', x: 0, y: 0, width: box.w, height: box.h, rx: 8 }, g);
  const text = el('text', { class: 'label', x: box.w / 2, y: box.h / 2, 'aria-hidden': 'true' }, g);
  text.textContent = exprName(index, source, 1);
  return g;
}

/** Positions a ghost. */
export function placeGhost(g, id, model) {
  const b = model.ghosts[id] || { x: 0, y: 0 };
  setAttr(g, 'transform', `translate(${b.x},${b.y})`);
}

/** Draws a gradient-check badge above an input. */
export function makeBadge(g, b) {
  const badge = el('g', { class: `badge ${b.ok ? 'ok' : 'bad'}` }, g);
  const w = b.text.length * 6.2 + 12;
  el('rect', { x: -4, y: -22, width: w, height: 16, rx: 8 }, badge);
  el('text', { x: -4 + w / 2, y: -14 }, badge).textContent = b.text;
}

/** Creates an expanded composite's frame with its fold button. */
export function makeGroup(layer, id) {
  const g = el('g', { class: 'group', 'data-group-id': id }, layer);
  el('rect', { class: 'frame', rx: 10 }, g);
  el('text', { class: 'group-title' }, g);
  const fold = el('g', { class: 'fold', 'data-fold': id, role: 'button', tabindex: '0' }, g);
  el('rect', { class: 'fold-bg', width: 46, height: 18, rx: 9 }, fold);
  el('text', { class: 'fold-text', x: 23, y: 9 }, fold);
  return g;
}

/** Positions a group frame and titles it with its composite op. */
export function placeGroup(g, idx, id, model) {
  const b = model.groups[id];
  const frame = g.querySelector('.frame');
  for (const [k, v] of Object.entries({ x: b.x, y: b.y, width: b.w, height: b.h })) setAttr(frame, k, v);
  const title = g.querySelector('.group-title');
  setAttr(title, 'x', b.x + 12);
  setAttr(title, 'y', b.y + 16);
  labelGroup(g, idx, id);
  setAttr(g.querySelector('.fold'), 'transform', `translate(${b.x + b.w - 54},${b.y + 6})`);
}

/** A group frame's texts: its title and its fold button. */
export function labelGroup(g, idx, id) {
  setText(g.querySelector('.group-title'), t('group.expanded', { op: idx.groups[id]?.op ?? t('group.composite') }));
  setText(g.querySelector('.fold-text'), t('group.fold'));
  setAttr(g.querySelector('.fold'), 'aria-label', t('group.fold'));
}
