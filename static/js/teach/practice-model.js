// Practice mode's questions and answer checking. Pure: no DOM, so node --test covers it.
// At a gate's backward step the student computes what the gate sends back along each input wire
// (upstream × local); a value that fans out is then asked as the sum of its contributions (+=).
// Tensors are asked for their shape first, then the whole matrix (small ones) or one element.
import { flatten, formatNumber, formatShape, isTensorShape, toNumber } from '../format.js';
import { nodeTitle } from '../graph-state.js';
import { t } from '../i18n.js';

export const REL_TOL = 0.01; // an answer within 1% of the gradient's size is right
export const WHOLE_MAX = 9; // tensors up to this many elements are asked whole

/** The questions of the backward step of `nodeId` (empty: nothing to compute there). */
export function questionsFor(index, nodeId) {
  const node = index.byId.get(nodeId);
  if (!node || node.kind === 'const') return [];
  const out = [];
  const fans = (index.outEdges.get(nodeId) || []).filter(carries);
  if (fans.length > 1) out.push(...tensorParts(sumQuestion(index, node, fans), node.shape));
  if (node.kind !== 'op') return out;
  for (const e of index.inEdges.get(nodeId) || []) {
    const src = index.byId.get(e.source);
    if (!carries(e) || src.kind === 'const') continue;
    out.push(...tensorParts(edgeQuestion(index, node, e, src), src.shape));
  }
  return out;
}

/** True when an edge carries a gradient back (differentiable, with a contribution). */
function carries(e) {
  return e.differentiable !== false && e.contribution !== null && e.contribution !== undefined;
}

/** "What does this gate send back to input p": upstream × local. */
function edgeQuestion(index, node, e, src) {
  const ones = index.graph.seed === 'ones' ? t('practice.seed_ones') : '1';
  const seed = node.id === index.graph.output ? t('practice.seed', { ones }) : '';
  return {
    kind: 'contribution', node: node.id, edge: e.id, source: src.id, truth: e.contribution, shape: src.shape || [],
    ...asked(t('practice.sends_back', { title: nodeTitle(node), op: node.op, to: nodeTitle(src), seed })),
    hints: [
      t('practice.hint_rule'),
      { tex: e.formula_tex || '', text: e.formula || '' },
      numbersHint(node, e, src),
    ],
  };
}

/** The += of a fan-out: the node's gradient is the sum of what each consumer sent back. */
function sumQuestion(index, node, fans) {
  const parts = fans.map((e) => (isTensorShape(node.shape) ? `[${formatShape(node.shape)}]` : formatNumber(e.contribution)));
  const names = fans.map((e) => nodeTitle(index.byId.get(e.target)));
  return {
    kind: 'sum', node: node.id, edge: null, source: node.id, truth: node.grad, shape: node.shape || [],
    ...asked(t('practice.sum', { name: nodeTitle(node), n: fans.length })),
    hints: [
      t('practice.hint_sum', { n: fans.length }),
      { tex: `\\frac{\\partial L}{\\partial ${texName(nodeTitle(node))}} = ${names.map((n) => `\\text{${texText(t('practice.from', { name: n }))}}`).join(' + ')}`, text: t('practice.sum_text') },
      `${parts.join(' + ')} = ?`,
    ],
  };
}

/** The numbers of upstream × local for a scalar edge; the operands for a tensor gate. */
function numbersHint(node, e, src) {
  const up = isTensorShape(node.shape) ? t('practice.wire_out', { shape: formatShape(node.shape), title: nodeTitle(node) }) : formatNumber(node.grad);
  if (e.local !== null && e.local !== undefined && !isTensorShape(src.shape)) return `${up} × ${formatNumber(e.local)} = ?`;
  return t('practice.hint_tensor', { up });
}

/** A tensor question becomes two: its shape, then the matrix (small) or one chosen element. */
function tensorParts(q, shape) {
  if (!isTensorShape(shape)) return [{ ...q, part: partId(q), ask: 'value' }];
  const flat = flatten(q.truth);
  const shapeQ = { ...q, part: `shape:${partId(q)}`, ask: 'shape', truth: shape,
    ...asked(t('practice.shape_first', { stem: q.stem }), t('practice.shape_short', { stem: q.stem })),
    hints: [t('practice.hint_shape'), { tex: '', text: t('practice.hint_shape_where') }, `${formatShape(shape)}`] };
  if (flat.length <= WHOLE_MAX) {
    return [shapeQ, { ...q, part: partId(q), ask: 'whole', truth: flat, prompt: t('practice.whole', { prompt: q.prompt, n: flat.length }) }];
  }
  const k = pickElement(partId(q), flat.length);
  const at = unravel(k, shape);
  return [shapeQ, { ...q, part: partId(q), ask: 'element', element: at, truth: flat[k], ...asked(t('practice.element', { stem: q.stem, at: at.join(', ') })) }];
}

/** A question's texts: its stem (what is asked), the prompt (stem = ?) and the stem for a list of
 *  answers (shorter for a shape). */
function asked(stem, short = stem) {
  return { stem, short, prompt: t('practice.prompt', { stem }) };
}

/** The part id of a question: the edge it is on, or "sum:" and the node. */
function partId(q) {
  return q.kind === 'sum' ? `sum:${q.node}` : q.edge;
}

/** A fixed element per question (a hash of its id), so a link always asks the same one. */
export function pickElement(id, n) {
  let h = 2166136261;
  for (const c of String(id)) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h % n;
}

/** Flat index -> multi-index in a row-major shape. */
export function unravel(k, shape) {
  const at = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    at.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return at;
}

/** Typed text with full-width digits and signs (a Chinese input method's －０．２５，１) made plain. */
function wide(text) {
  return String(text).normalize('NFKC');
}

/** Parses a typed number: 0.25, -1e-3, 1/4, −2 (a real minus), inf, nan. Never evaluates. */
export function parseNumber(text) {
  const txt = wide(text).trim().replace(/−/g, '-').replace(/\s+/g, '').toLowerCase();
  if (/^[+-]?(inf|infinity|∞)$/.test(txt)) return txt.startsWith('-') ? -Infinity : Infinity;
  if (txt === 'nan') return NaN;
  const num = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/;
  if (num.test(txt)) return Number(txt);
  const frac = txt.split('/');
  if (frac.length === 2 && num.test(frac[0]) && num.test(frac[1])) return Number(frac[0]) / Number(frac[1]);
  return null;
}

/** Parses a list of numbers: "1 2; 3 4", "[[1, 2], [3, 4]]", "1,2,3". */
export function parseNumbers(text) {
  const items = wide(text).replace(/[[\](){};,\n]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const out = items.map(parseNumber);
  return out.some((v) => v === null) || !out.length ? null : out;
}

/** Parses a shape: "2x3", "2×3", "(2, 3)", "[2,3]", "3", "scalar". */
export function parseShape(text) {
  const txt = wide(text).trim().toLowerCase();
  if (txt === 'scalar' || txt === '标量' || txt === '()' || txt === '[]') return [];
  const parts = txt.replace(/[[\]()]/g, '').split(/\s*[x×*,]\s*|\s+/).filter(Boolean);
  return parts.every((p) => /^\d+$/.test(p)) && parts.length ? parts.map(Number) : null;
}

/** True when a is within REL_TOL of the gradient's size (scale) from truth; non-finite must match. */
export function close(a, truth, scale = Math.abs(truth)) {
  if (!Number.isFinite(truth)) return Object.is(a, truth) || (Number.isNaN(a) && Number.isNaN(truth));
  return Number.isFinite(a) && Math.abs(a - truth) <= REL_TOL * scale + 1e-9;
}

/** Checks an answer: {ok, error} (error: the text could not be read as what was asked). */
export function checkAnswer(text, q) {
  if (q.ask === 'shape') {
    const s = parseShape(text);
    if (!s) return { ok: false, error: t('practice.type_shape') };
    return { ok: s.length === q.truth.length && s.every((d, i) => d === q.truth[i]) };
  }
  if (q.ask === 'whole') {
    const xs = parseNumbers(text);
    if (!xs) return { ok: false, error: t('practice.type_numbers') };
    const truth = q.truth.map(toNumber);
    const scale = Math.max(...truth.filter(Number.isFinite).map(Math.abs), 0);
    return { ok: xs.length === truth.length && xs.every((x, i) => close(x, truth[i], scale)) };
  }
  const x = parseNumber(text);
  if (x === null) return { ok: false, error: t('practice.type_number') };
  return { ok: close(x, toNumber(q.truth)) };
}

/** The answer as the student would type it (for "show me"). */
export function answerText(q) {
  if (q.ask === 'shape') return q.truth.join('x');
  if (q.ask === 'whole') return q.truth.map((v) => formatNumber(v, 6)).join(' ');
  return formatNumber(q.truth, 6);
}

/** A user name as TeX. */
function texName(name) {
  const safe = String(name).replace(/[^A-Za-z0-9]/g, '');
  return safe.length <= 1 ? safe || 'x' : `\\mathrm{${safe}}`;
}

/** Text safe inside \text{}. */
function texText(s) {
  return String(s).replace(/[\\{}$&#^_%~]/g, '');
}
