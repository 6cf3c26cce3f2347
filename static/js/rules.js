// The chain rule of a gate for one of its inputs, written with the gate's own names and shapes:
// ∂L/∂W1 = Xᵀ · ∂L/∂(X@W1) for a matrix product, sums over broadcast rows for a bias, and the rules
// of the NN composites. Also the gate patterns of the CS231n notes, in their words. Pure: no DOM.
import { formatNumber, formatShape, isTensorShape, toNumber } from './format.js';
import { t as tr } from './i18n.js';

const ELEMENTWISE = new Set(['add', 'sub', 'mul', 'div', 'pow', 'max', 'min', 'neg', 'exp', 'log', 'sqrt', 'abs',
  'sin', 'cos', 'tanh', 'relu', 'sigmoid']);

/** A name as TeX: upright for multi-letter names, an expression as text in brackets. */
export function texName(name) {
  const s = String(name);
  if (/^[A-Za-z]$/.test(s)) return s;
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(s)) return `\\mathrm{${s}}`;
  return `(\\text{${s.replace(/[\\{}$&#^_%~]/g, (c) => `\\${c === '\\' ? 'backslash' : c}`)}})`;
}

/** ∂L/∂name as TeX. */
export function dL(name) {
  return `\\frac{\\partial L}{\\partial ${texName(name)}}`;
}

/** The rule for input `port` of a tensor gate: {tex, shapes, figures, note}. `gate` is the node,
 *  `inputs` its input terms ({source, name, contribution, local, formulaTex}), `out` its name. */
export function tensorRule(gate, inputs, port, out) {
  const t = inputs[port];
  const [a, b] = inputs;
  const g = { caption: dL(out), value: gate.grad, shape: gate.shape };
  const res = { caption: dL(t.name), value: t.contribution, shape: t.source.shape };
  const shp = (s, T = '') => `[${formatShape(s)}]${T}`;
  switch (gate.op) {
    case 'matmul':
      if (port === 0) {
        return rule(`${dL(t.name)} = ${dL(out)} \\cdot ${texName(b.name)}^{\\mathsf T}`, [res.shape, '=', gate.shape, '·', [b.source.shape, 'ᵀ']],
          [res, '=', g, '·', { caption: `${texName(b.name)}^{\\mathsf T}`, value: b.source.value, shape: b.source.shape, transpose: true }]);
      }
      return rule(`${dL(t.name)} = ${texName(a.name)}^{\\mathsf T} \\cdot ${dL(out)}`, [res.shape, '=', [a.source.shape, 'ᵀ'], '·', gate.shape],
        [res, '=', { caption: `${texName(a.name)}^{\\mathsf T}`, value: a.source.value, shape: a.source.shape, transpose: true }, '·', g]);
    case 'transpose':
      return rule(`${dL(t.name)} = \\left(${dL(out)}\\right)^{\\mathsf T}`, [res.shape, '=', [gate.shape, 'ᵀ']], [res, '=', g]);
    case 'sum':
      return rule(`${dL(t.name)} = ${dL(out)} \\cdot \\mathbf{1}`, [res.shape, '=', tr('rule.scalar_ones')], [res],
        tr('rule.sum'));
    case 'mean':
      return rule(`${dL(t.name)} = ${dL(out)} \\cdot \\mathbf{1} / ${count(t.source.shape)}`, [res.shape], [res],
        tr('rule.mean', { n: count(t.source.shape) }));
    case 'rowsum':
      return rule(`${dL(t.name)}_{ij} = \\left(${dL(out)}\\right)_{i}`, [res.shape, '=', gate.shape, tr('rule.rowsum')], [g, '→', res]);
    case 'rowmax':
      return rule(`${dL(t.name)}_{ij} = \\left(${dL(out)}\\right)_{i}\\ ${texWords(tr('rule.rowmax_where'))}\\ x_{ij}\\ ${texWords(tr('rule.rowmax_max'))}`, [res.shape], [g, '→', res],
        tr('rule.rowmax'));
    case 'softmax':
      return rule(`${dL(t.name)} = s \\odot \\left(${dL(out)} - \\textstyle\\sum_j ${dL(out)}_{\\cdot j}\\, s_{\\cdot j}\\right),\\ s = \\mathrm{softmax}(${texName(t.name)})`,
        [res.shape], [g, '→', res]);
    case 'cross_entropy':
      if (port === 1) return labelsRule(t);
      return rule(`${dL(t.name)} = \\frac{\\mathrm{softmax}(${texName(t.name)}) - \\mathrm{onehot}(${texName(b.name)})}{N} \\cdot ${dL(out)}`,
        [res.shape, tr('rule.n_rows', { n: t.source.shape[0] ?? 1 })], [res], tr('rule.cross_entropy'));
    case 'mse': {
      const sign = port === 0 ? '' : '-';
      return rule(`${dL(t.name)} = ${sign}\\frac{2\\,(${texName(a.name)} - ${texName(b.name)})}{N} \\cdot ${dL(out)}`,
        [res.shape, tr('rule.n_entries', { n: count(t.source.shape) })], [res]);
    }
    case 'pick':
      if (port === 1) return labelsRule(t);
      return rule(`${dL(t.name)}_{i,\\,\\ell_i} = ${dL(out)}_i,\\ ${texWords(tr('rule.else'))}\\ 0`, [res.shape], [g, '→', res]);
    default:
      return ELEMENTWISE.has(gate.op) ? elementwiseRule(gate, t, out, g, res) : rule(`${dL(t.name)}`, [res.shape], [g, '→', res]);
  }
}

/** Upstream ⊙ local, then a sum over the axes the input was broadcast along. */
function elementwiseRule(gate, t, out, g, res) {
  const local = t.formulaTex || texWords(tr('explain.local'));
  const axes = broadcastAxes(t.source.shape, gate.shape);
  const same = !axes.length;
  const body = `${dL(out)} \\odot ${local}`;
  if (same) return rule(`${dL(t.name)} = ${body}`, [res.shape, '=', gate.shape, '⊙', gate.shape], [g, '→', res], tr('rule.elementwise'));
  const rows = axes.length === 1 && axes[0] === gate.shape.length - 2;
  const what = !isTensorShape(t.source.shape) ? tr('rule.summed_all') : rows ? tr('rule.summed_rows') : tr('rule.summed_axes', { axes: axes.join(', ') });
  const sum = rows ? `\\sum_{${texWords(tr('rule.rows'))}}` : '\\sum';
  return rule(`${dL(t.name)} = ${sum} \\left(${body}\\right)`, [res.shape, '=', rows ? tr('rule.sigma_rows', { shape: formatShape(gate.shape) }) : `Σ [${formatShape(gate.shape)}]`],
    [g, '→ Σ →', res], tr('rule.broadcast', { name: texPlain(t.name), shape: formatShape(gate.shape), what }));
}

/** Integer labels are data: no gradient. */
function labelsRule(t) {
  return rule(texWords(tr('rule.labels', { name: texPlain(t.name) })), [t.source.shape], []);
}

/** The rule record; shape parts are shapes, [shape, suffix] pairs or plain strings. */
function rule(tex, parts, figures, note = '') {
  const shapes = parts.map((p) => (Array.isArray(p) && Array.isArray(p[0]) ? `[${formatShape(p[0])}]${p[1]}` : Array.isArray(p) ? `[${formatShape(p)}]` : p)).join(' ');
  return { tex, shapes, figures, note };
}

/** The axes (of the output's shape) along which an input of shape `s` was broadcast. */
export function broadcastAxes(s, out) {
  const src = s || [];
  const axes = [];
  const lead = out.length - src.length;
  for (let i = 0; i < out.length; i++) {
    const d = i < lead ? 1 : src[i - lead];
    if (d === 1 && out[i] !== 1) axes.push(i);
  }
  return axes;
}

/** Number of entries of a shape. */
function count(shape) {
  return (shape || []).reduce((a, b) => a * b, 1);
}

/** Words (a catalog text) as TeX text. */
function texWords(s) {
  return `\\text{${texPlain(s)}}`;
}

/** A name for a \text{} block. */
function texPlain(s) {
  return String(s).replace(/[\\{}$&#^_%~]/g, '');
}

/** The CS231n notes' words for the patterns of add, max and multiply gates, with this gate's numbers. */
export function gatePattern(gate, inputs) {
  if (inputs.length !== 2) return null;
  const [a, b] = inputs;
  if (gate.op === 'add') return tr('pattern.add');
  if (gate.op === 'max') {
    if (isTensorShape(gate.shape)) return tr('pattern.max_tensor');
    const [va, vb] = [toNumber(a.source.value), toNumber(b.source.value)];
    const win = va === vb ? tr('pattern.max_tie') : tr('pattern.max_wins', { name: va > vb ? a.name : b.name, value: formatNumber(Math.max(va, vb)) });
    return tr('pattern.max', { win });
  }
  if (gate.op === 'mul') {
    if (isTensorShape(gate.shape)) return tr('pattern.mul_tensor');
    return tr('pattern.mul', { a: a.name, b: b.name, va: formatNumber(a.source.value), vb: formatNumber(b.source.value) });
  }
  return null;
}
