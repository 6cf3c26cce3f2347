// The gate explainer: local-gradient formulas (KaTeX), the chain rule with this gate's names, numbers
// and shapes (tensor rules with their matrices), the CS231n gate patterns, and the total gradient.
import { chainRule, exprName } from './graph-state.js';
import { displayLabel, flatten, formatNumber, formatShape, isTensorShape } from './format.js';
import { matrixTable } from './inspector.js';
import { dL, gatePattern, tensorRule } from './rules.js';
import { renderTex, texNumber } from './tex.js';
import { t as tr } from './i18n.js';

const MAX_FIGURE = 36; // entries: bigger matrices stay in the inspector

/** Creates the explainer in `panel`; actions: {expand(id), fold(groupId), inspect(id)}. */
export function createExplainer(panel, actions) {
  /** Shows node `id` of `index`, hiding numbers the animation (stateOf: id -> state) has not reached. */
  function show(index, id, stateOf = () => 'backward') {
    panel.replaceChildren();
    const info = index && id ? chainRule(index, id) : null;
    if (!info) return hint(panel);
    const { node } = info;
    const state = stateOf(id);
    const known = { value: state !== 'pending', grad: state === 'backward', of: stateOf };
    const name = exprName(index, id);
    const inputs = info.inputs.map((t) => ({ ...t, name: exprName(index, t.source.id) }));
    panel.append(header(node, name, index, actions));
    if (node.kind !== 'op') panel.append(leafSummary(node, known));
    const pattern = gatePattern(node, inputs);
    if (pattern) panel.append(h('p', 'pattern', pattern));
    if (inputs.length) panel.append(localSection(inputs), chainSection(node, name, inputs, known));
    if (info.fanout.length > 1 || info.isOutput) panel.append(totalSection(info, name, known));
  }
  return { show };
}

/** The placeholder text when nothing is selected. */
function hint(panel) {
  panel.append(h('p', 'hint', tr('explain.hint')));
}

/** Small element helper. */
function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A TeX span. */
function tex(src, cls = 'tex') {
  const s = h('span', cls);
  renderTex(s, src);
  return s;
}

/** Title row: the gate, its name, and expand/fold/inspect buttons. */
function header(node, name, index, actions) {
  const box = h('div', 'explain-head');
  const sym = displayLabel(node);
  const op = String(sym).toLowerCase() === node.op ? node.op : `${sym}  ${node.op}`;
  const what = node.kind === 'op' ? op : node.kind === 'input' ? tr('explain.input') : tr('explain.constant');
  box.append(h('span', 'gate-symbol', what), h('span', 'gate-name', ` ${name}`));
  box.append(h('span', 'gate-shape', formatShape(node.shape)));
  const btn = (label, fn, id) => {
    const b = h('button', 'small', label);
    if (id) b.id = id;
    b.addEventListener('click', fn);
    box.append(b);
  };
  if (node.composite) {
    btn(tr('explain.expand', { title: node.label }), () => actions.expand(node.id), 'expand-selected');
    box.append(h('span', 'hint', tr('explain.expand_hint')));
  }
  const group = index.groupOf.get(node.id);
  if (group) btn(tr('explain.fold', { title: index.groups[group]?.op ?? '' }), () => actions.fold(group));
  if (isTensorShape(node.shape)) btn(tr('explain.inspect'), () => actions.inspect(node.id));
  return box;
}

/** Value and gradient of an input or constant. */
function leafSummary(node, known) {
  const p = h('p', 'leaf');
  const tensor = isTensorShape(node.shape);
  const v = tensor ? formatShape(node.shape) : known.value ? formatNumber(node.value) : '?';
  const g = tensor ? formatShape(node.shape) : known.grad ? formatNumber(node.grad) : '?';
  p.append(h('span', 'num-val', tr('explain.value', { value: v })), h('span', 'sep', ' · '), h('span', 'num-grad', tr('explain.gradient', { value: g })));
  return p;
}

/** Local-gradient formulas, one per input, each named by that input. */
function localSection(inputs) {
  const sec = h('section', 'local');
  sec.append(h('h3', '', tr('explain.local_title')));
  for (const t of inputs) {
    const row = h('div', 'formula');
    row.append(h('span', 'port', tr('explain.for_input', { name: t.name })), tex(t.formulaTex || texText(tr('explain.not_differentiable'))));
    sec.append(row);
  }
  return sec;
}

/** The chain rule per input: upstream × local for scalars, the tensor rule with shapes otherwise. */
function chainSection(node, name, inputs, known) {
  const sec = h('section', 'chain');
  sec.append(h('h3', '', tr('explain.chain_title')));
  const tensor = isTensorShape(node.shape) || inputs.some((t) => isTensorShape(t.source.shape));
  inputs.forEach((t, port) => {
    if (!flows(t)) return sec.append(row(`${t.name}: `, texText(tr(t.source.kind === 'const' ? 'explain.const_no_grad' : 'explain.no_flow'))));
    if (tensor) return sec.append(tensorRow(node, name, inputs, port, known));
    const up = known.grad ? texNumber(formatNumber(node.grad)) : '?';
    const local = t.local === null || t.local === undefined ? texText(tr('explain.local')) : known.value ? texNumber(formatNumber(t.local)) : '?';
    const contrib = known.grad ? texNumber(formatNumber(t.contribution)) : '?';
    const eq = t.others.length ? '\\mathrel{+}=' : '=';
    const body = `${dL(t.name)} ${eq} \\underbrace{${up}}_{${texText(tr('explain.upstream'))}} \\times \\underbrace{${local}}_{${texText(tr('explain.local'))}} = \\mathbf{${contrib}}`;
    sec.append(row(`${t.name}: `, body));
    if (t.others.length) sec.append(othersRow(t, contrib, known));
  });
  const legend = tensor ? tr('explain.tensor_legend') : tr('explain.scalar_legend', { name });
  sec.append(h('p', 'legend', legend));
  return sec;
}

/** True when a gradient flows back along this input. */
function flows(t) {
  return t.differentiable && t.contribution !== null && t.contribution !== undefined;
}

/** One chain-rule row: who it is for, then TeX. */
function row(label, body) {
  const r = h('div', 'chain-row');
  r.append(h('span', 'to', label), tex(body));
  return r;
}

/** A tensor gate's rule for one input: names, shapes, and the matrices when they are small. */
function tensorRow(node, name, inputs, port, known) {
  const r = tensorRule(node, inputs, port, name);
  const box = h('div', 'chain-row tensor-rule');
  box.append(tex(r.tex));
  box.append(h('div', 'rule-shapes', r.shapes));
  if (r.note) box.append(h('div', 'rule-head', r.note));
  const figs = r.figures.filter((f) => typeof f !== 'string');
  const small = figs.length && figs.every((f) => f.value !== null && f.value !== undefined && entries(f.shape) <= MAX_FIGURE);
  if (known.grad && small) box.append(figures(r.figures));
  return box;
}

/** The matrices of a rule side by side, with the operators between them. */
function figures(list) {
  const row = h('div', 'rule-matrices');
  for (const f of list) {
    if (typeof f === 'string') {
      row.append(h('span', 'op', f));
      continue;
    }
    const fig = h('figure');
    const cap = h('figcaption');
    renderTex(cap, f.caption);
    fig.append(isTensorShape(f.shape) ? matrixTable(f.value, f.shape, f.transpose) : h('span', 'num-grad', formatNumber(f.value)), cap);
    row.append(fig);
  }
  return row;
}

/** Entries of a shape. */
function entries(shape) {
  return (shape || []).reduce((a, b) => a * b, 1);
}

/** An input that also feeds other gates: its gradient is this contribution plus theirs (+=). */
function othersRow(t, contrib, known) {
  const all = t.others.map((o) => (known.of(o.edge.target) === 'backward' ? num(o.contribution, t.source.shape) : '?'));
  const total = known.of(t.source.id) === 'backward' ? num(t.total, t.source.shape) : '?';
  const r = row(tr('explain.used_times', { name: t.name, n: t.others.length + 1 }), `${dL(t.name)} = ${contrib} + ${all.join(' + ')} = \\mathbf{${total}}`);
  r.classList.add('fan');
  return r;
}

/** The node's total gradient: the seed at the output, else the sum (+=) of its consumers' shares. */
function totalSection(info, name, known) {
  const sec = h('section', 'total');
  const n = info.node;
  if (info.isOutput && !info.fanout.length) {
    const seed = tr(info.seed === 'ones' ? 'explain.seed_ones' : 'explain.seed');
    sec.append(h('h3', '', tr('explain.output')), h('p', 'legend', seed));
    return sec;
  }
  sec.append(h('h3', '', tr('explain.fanout_title', { name, n: info.fanout.length })));
  const terms = info.fanout.map((f) => (known.grad ? num(f.contribution, n.shape) : '?'));
  const total = known.grad ? num(n.grad, n.shape) : '?';
  sec.append(tex(`${dL(name)} = ${terms.join(' + ')} = \\mathbf{${total}}`, 'tex total-tex'));
  sec.append(h('p', 'legend', tr('explain.fanout_legend', { name })));
  return sec;
}

/** A catalog text inside TeX: \\text{} with TeX's special characters dropped. */
function texText(s) {
  return `\\text{${String(s).replace(/[\\{}$&#^_%~]/g, '')}}`;
}

/** A number, a tiny tensor's entries, or a tensor's shape, as TeX. */
function num(v, shape) {
  if (!isTensorShape(shape)) return texNumber(formatNumber(v));
  const flat = flatten(v);
  if (flat.length <= 3) return `[${flat.map((x) => texNumber(formatNumber(x, 3))).join(',\ ')}]`;
  return `[${formatShape(shape)}]`;
}

