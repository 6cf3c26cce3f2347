// Number, shape and tensor formatting. Pure: never touches the DOM.
import { t } from './i18n.js';

const NON_FINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Turns an API number (a number or "NaN"/"Infinity"/"-Infinity") into a JS number. */
export function toNumber(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v];
  return Number(v);
}

/** Formats one number compactly: 4 significant digits, NaN / ∞ / −∞ for non-finite values. */
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined) return '—'; // the API's "no gradient flows here"
  const x = toNumber(v);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  // Exponent form only where fixed notation would need too many characters.
  if (ax >= 1e5 || ax < 1e-3) return tidyExponent(x.toExponential(digits - 2));
  return trimZeros(x.toPrecision(digits));
}

/** Drops trailing zeros of a fixed-point string ("1.500" -> "1.5"). */
function trimZeros(s) {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Shortens "1.20e-5" to "1.2e-5". */
function tidyExponent(s) {
  const [m, e] = s.split('e');
  return `${trimZeros(m)}e${e.replace('+', '')}`;
}

/** True when the shape describes a tensor (anything but a scalar). */
export function isTensorShape(shape) {
  return Array.isArray(shape) && shape.length > 0;
}

/** Formats a shape: [] -> "scalar", [3] -> "3", [2, 3] -> "2×3". */
export function formatShape(shape) {
  if (!isTensorShape(shape)) return t('shape.scalar');
  return shape.join('×');
}

/** True for the page form's summary of a large tensor ({summary, shape, min, max, norm, preview}). */
function summarized(v) {
  return v !== null && typeof v === 'object' && v.summary === true;
}

/** Flattens a nested list (or a scalar) into a flat array of JS numbers (a summary: its preview). */
export function flatten(value) {
  if (summarized(value)) return value.preview.map(toNumber);
  if (!Array.isArray(value)) return [toNumber(value)];
  const out = [];
  const walk = (v) => (Array.isArray(v) ? v.forEach(walk) : out.push(toNumber(v)));
  walk(value);
  return out;
}

/** Reshapes any value into rows for display: 1-D is one row, N-D folds leading axes into rows. */
export function toMatrix(value, shape) {
  const flat = flatten(value);
  if (!isTensorShape(shape)) return [flat];
  const cols = shape[shape.length - 1] || 1;
  const rows = [];
  for (let i = 0; i < flat.length; i += cols) rows.push(flat.slice(i, i + cols));
  return rows.length ? rows : [[]];
}

/** Euclidean norm of the finite entries (NaN if any entry is NaN). */
export function norm(value) {
  if (summarized(value)) return toNumber(value.norm);
  let s = 0;
  for (const x of flatten(value)) s += x * x;
  return Math.sqrt(s);
}

/** Largest finite magnitude, used to scale a colour map symmetrically around 0. */
export function maxAbs(value) {
  if (summarized(value)) return Math.max(Math.abs(toNumber(value.min)), Math.abs(toNumber(value.max)));
  let m = 0;
  for (const x of flatten(value)) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return m;
}

/** The text drawn above a wire: a number, a tiny vector, or the tensor's shape. */
export function valueLabel(value, shape) {
  if (value === null || value === undefined) return '';
  if (!isTensorShape(shape)) return formatNumber(value);
  const flat = flatten(value);
  if (flat.length <= 3) return `[${flat.map((x) => formatNumber(x, 3)).join(', ')}]`;
  return formatShape(shape);
}

/** The text drawn below a wire: a number, a tiny vector, or the gradient's norm. */
export function gradLabel(grad, shape) {
  if (grad === null || grad === undefined) return '';
  if (!isTensorShape(shape)) return formatNumber(grad);
  const flat = flatten(grad);
  if (flat.length <= 3) return `[${flat.map((x) => formatNumber(x, 3)).join(', ')}]`;
  return `‖∇‖ ${formatNumber(norm(grad), 3)}`;
}

/** Maps x in [-m, m] to a diverging colour (blue for negative, white at 0, orange for positive);
 *  the ends are light enough for dark text at 4.5:1. */
export function divergingColor(x, m) {
  if (!Number.isFinite(x)) return '#d9d9d9';
  const t = m > 0 ? Math.max(-1, Math.min(1, x / m)) : 0;
  const [r, g, b] = t >= 0 ? mix([255, 255, 255], [235, 140, 60], t) : mix([255, 255, 255], [90, 150, 220], -t);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Linear interpolation between two RGB triples. */
function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Formats a relative error for a gradient-check badge. */
export function formatRelError(e) {
  const x = toNumber(e);
  if (!Number.isFinite(x)) return formatNumber(x);
  return x === 0 ? '0' : x.toExponential(1).replace('+', '');
}

/** A slider range around v: a power-of-ten step and bounds on that grid, so scrubbed values stay round. */
export function sliderRange(v) {
  const x = Number.isFinite(v) ? v : 0;
  const span = Math.max(1, Math.abs(x) * 2);
  const step = 10 ** Math.floor(Math.log10(span / 100));
  const snap = (t) => Number((Math.round(t / step) * step).toPrecision(12));
  return { min: snap(x - span), max: snap(x + span), step };
}

// Engine symbols drawn differently on the page: the language writes powers as `**`.
const DISPLAY = { '^': '**' };

/** The text drawn on a gate: its symbol as the language writes it. */
export function displayLabel(node) {
  return DISPLAY[node.label] ?? node.label;
}
