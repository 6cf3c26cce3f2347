// SVG drawing of the Train panel's two plots: the loss curve and the path over the loss's contours.
import { flatten, formatNumber, toNumber } from '../format.js';
import { contourLevels, contours, descentArrows } from './contour.js';
import { linePath, linearScale, logTicks, lossCurve, niceTicks } from './plot.js';
import { t } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
function svgEl(tag, attrs = {}, text = null) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== null) e.textContent = text;
  return e;
}

/** The loss at every step as a line, with round ticks (log axis when the loss spans decades). */
export function drawLoss(svg, rawLosses) {
  const [w, h] = svg.getAttribute('viewBox').split(' ').slice(2).map(Number);
  const box = { x: 44, y: 8, width: w - 52, height: h - 30 };
  const losses = rawLosses.map(toNumber);
  const curve = lossCurve(losses, box);
  const kids = [svgEl('rect', { class: 'frame', x: box.x, y: box.y, width: box.width, height: box.height })];
  const [lo, hi] = curve.y.domain;
  const yt = curve.y.kind === 'log' ? logTicks(lo, hi) : niceTicks(lo, hi, 4);
  for (const t of yt) {
    const y = curve.y(t);
    kids.push(svgEl('line', { class: 'tick', x1: box.x, x2: box.x + box.width, y1: y, y2: y }));
    kids.push(svgEl('text', { class: 'tick-label', x: box.x - 4, y: y + 3, 'text-anchor': 'end' }, formatNumber(t, 2)));
  }
  for (const t of niceTicks(0, Math.max(1, losses.length - 1), 4)) {
    kids.push(svgEl('text', { class: 'tick-label', x: curve.x(t), y: box.y + box.height + 12, 'text-anchor': 'middle' }, String(t)));
  }
  kids.push(svgEl('path', { class: 'loss-line', d: curve.path }));
  kids.push(svgEl('text', { class: 'axis-label', x: box.x + box.width, y: box.y + box.height + 22, 'text-anchor': 'end' }, t('train.axis_step')));
  svg.replaceChildren(...kids);
  svg.dataset.points = String(losses.length);
}

/** Contour lines of the landscape, the parameters' path on top (start ○, end ●). */
export function drawContour(svg, land, px, py) {
  const [w, h] = svg.getAttribute('viewBox').split(' ').slice(2).map(Number);
  const box = { x: 34, y: 8, width: w - 42, height: h - 34 };
  const grid = land.loss.map((row) => row.map(toNumber));
  const sx = linearScale([land.xs[0], land.xs.at(-1)], [box.x, box.x + box.width]);
  const sy = linearScale([land.ys[0], land.ys.at(-1)], [box.y + box.height, box.y]);
  const marker = svgEl('marker', { id: 'train-arrow', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 5, markerHeight: 5, orient: 'auto' });
  marker.append(svgEl('path', { d: 'M0,1 L9,5 L0,9 z', class: 'descent-head' }));
  const defs = svgEl('defs');
  defs.append(marker);
  const kids = [defs, svgEl('rect', { class: 'frame', x: box.x, y: box.y, width: box.width, height: box.height })];
  const levels = contourLevels(grid, 14);
  for (const { k, segments } of contours({ xs: land.xs, ys: land.ys, loss: grid }, levels)) {
    const d = segments.map(([x1, y1, x2, y2]) => `M${sx(x1).toFixed(1)},${sy(y1).toFixed(1)}L${sx(x2).toFixed(1)},${sy(y2).toFixed(1)}`).join('');
    kids.push(svgEl('path', { class: 'contour', d, 'data-level': k, style: `opacity:${(1 - (0.7 * k) / levels.length).toFixed(2)}` }));
  }
  for (const [x, y, dx, dy] of descentArrows({ xs: land.xs, ys: land.ys, loss: grid }, 5)) {
    const d = `M${sx(x).toFixed(1)},${sy(y).toFixed(1)}L${sx(x + dx).toFixed(1)},${sy(y + dy).toFixed(1)}`;
    kids.push(svgEl('path', { class: 'descent', d, 'marker-end': 'url(#train-arrow)' }));
  }
  const pts = px.map((x, i) => [sx(x), sy(py[i])]);
  kids.push(svgEl('path', { class: 'trajectory', d: linePath(pts) }));
  if (pts.length) {
    kids.push(svgEl('circle', { class: 'start', cx: pts[0][0], cy: pts[0][1], r: 4 }));
    kids.push(svgEl('circle', { class: 'end', cx: pts.at(-1)[0], cy: pts.at(-1)[1], r: 4 }));
  }
  for (const t of niceTicks(land.xs[0], land.xs.at(-1), 4)) {
    kids.push(svgEl('text', { class: 'tick-label', x: sx(t), y: box.y + box.height + 12, 'text-anchor': 'middle' }, formatNumber(t, 3)));
  }
  for (const t of niceTicks(land.ys[0], land.ys.at(-1), 4)) {
    kids.push(svgEl('text', { class: 'tick-label', x: box.x - 4, y: sy(t) + 3, 'text-anchor': 'end' }, formatNumber(t, 3)));
  }
  kids.push(svgEl('text', { class: 'axis-label', x: box.x + box.width, y: box.y + box.height + 24, 'text-anchor': 'end' }, land.x));
  kids.push(svgEl('text', { class: 'axis-label', x: 2, y: box.y + 8 }, land.y));
  svg.replaceChildren(...kids);
  svg.dataset.levels = String(levels.length);
}

/** The last step as a table: before, gradient, after = before − lr × gradient. */
export function showStep(box, step, lr) {
  const short = (v) => {
    const flat = flatten(v);
    const head = flat.slice(0, 2).map((x) => formatNumber(x, 3)).join(', ');
    return Array.isArray(v) ? `[${head}${flat.length > 2 ? ', …' : ''}]` : head;
  };
  const rows = Object.entries(step || {}).map(([n, s]) =>
    `<tr data-param="${n}"><th>${n}</th><td class="before">${short(s.before)}</td>` +
    `<td class="grad">${s.grad === null ? '0' : short(s.grad)}</td><td class="after">${short(s.after)}</td></tr>`);
  const [before, grad, after] = ['train.before', 'train.gradient', 'train.after'].map((k) => t(k));
  box.innerHTML = `<div class="rule">${t('train.rule', { lr: formatNumber(lr) })}</div>` +
    `<table><thead><tr><th></th><th>${before}</th><th>${grad}</th><th>${after}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  box.hidden = false;
}
