// The gate explainer: local-gradient formulas (KaTeX) and the chain rule with this gate's numbers.
import { chainRule, nodeTitle } from './graph-state.js';
import { formatNumber, formatShape, isTensorShape } from './format.js';
import { renderTex, texNumber } from './tex.js';

/** Creates the explainer in `panel`; actions: {expand(id), fold(groupId), inspect(id)}. */
export function createExplainer(panel, actions) {
  /** Shows node `id` of `index`, hiding numbers the animation (stateOf: id -> state) has not reached. */
  function show(index, id, stateOf = () => 'backward') {
    panel.replaceChildren();
    const info = index && id ? chainRule(index, id) : null;
    if (!info) return hint(panel);
    const { node } = info;
    panel.append(header(node, index, actions));
    const state = stateOf(id);
    const known = { value: state !== 'pending', grad: state === 'backward', of: stateOf };
    if (node.kind !== 'op') panel.append(leafSummary(node, known));
    if (info.inputs.length) panel.append(localSection(info), chainSection(info, known));
    if (info.fanout.length > 1 || info.isOutput) panel.append(fanoutSection(info, known));
  }
  return { show };
}

/** The placeholder text when nothing is selected. */
function hint(panel) {
  const p = h('p', 'hint', 'Hover or click a gate to see its local gradients and the chain rule with its numbers.');
  panel.append(p);
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
function header(node, index, actions) {
  const box = h('div', 'explain-head');
  const op = String(node.label).toLowerCase() === node.op ? node.op : `${node.label}  ${node.op}`;
  const what = node.kind === 'op' ? op : node.kind === 'input' ? 'input' : 'constant';
  box.append(h('span', 'gate-symbol', what), h('span', 'gate-name', node.name ? ` ${node.name}` : ''));
  box.append(h('span', 'gate-shape', formatShape(node.shape)));
  const btn = (label, fn, id) => {
    const b = h('button', 'small', label);
    if (id) b.id = id;
    b.addEventListener('click', fn);
    box.append(b);
  };
  if (node.composite) btn(`Expand ${node.label}`, () => actions.expand(node.id), 'expand-selected');
  const group = index.groupOf.get(node.id);
  if (group) btn(`Fold ${index.groups[group]?.op ?? ''}`, () => actions.fold(group));
  if (isTensorShape(node.shape)) btn('Inspect', () => actions.inspect(node.id));
  return box;
}

/** Value and gradient of an input or constant. */
function leafSummary(node, known) {
  const p = h('p', 'leaf');
  const tensor = isTensorShape(node.shape);
  const v = tensor ? formatShape(node.shape) : known.value ? formatNumber(node.value) : '?';
  const g = tensor ? formatShape(node.shape) : known.grad ? formatNumber(node.grad) : '?';
  p.append(h('span', 'num-val', `value ${v}`), h('span', 'sep', ' · '), h('span', 'num-grad', `gradient ${g}`));
  return p;
}

/** Local-gradient formulas, one per input port. */
function localSection(info) {
  const sec = h('section', 'local');
  sec.append(h('h3', '', 'Local gradients'));
  for (const t of info.inputs) {
    const row = h('div', 'formula');
    row.append(tex(t.formulaTex || '\\text{not differentiable}'));
    row.append(h('span', 'port', ` input ${t.edge.port + 1}: ${nodeTitle(t.source)}`));
    sec.append(row);
  }
  return sec;
}

/** Upstream × local = contribution, per input, with this gate's numbers. */
function chainSection(info, known) {
  const sec = h('section', 'chain');
  sec.append(h('h3', '', 'Chain rule'));
  const up = known.grad ? num(info.upstream, info.node.shape) : '?';
  for (const t of info.inputs) {
    const row = h('div', 'chain-row');
    const src = nodeTitle(t.source);
    const local = t.local === null || t.local === undefined ? '\\text{local}' : known.value ? num(t.local, []) : '?';
    const contrib = known.grad ? num(t.contribution, t.source.shape) : '?';
    const none = t.source.kind === 'const' ? '\\text{a constant: no gradient needed}' : '\\text{no gradient flows here}';
    const flows = t.differentiable && t.contribution !== null && t.contribution !== undefined;
    const body = flows ? `\\textcolor{#c62828}{${up}}\\times ${local} = \\textcolor{#c62828}{${contrib}}` : none;
    row.append(h('span', 'to', `→ input ${t.edge.port + 1} (${src}): `), tex(body));
    sec.append(row);
    if (t.others.length && flows) sec.append(othersRow(t, src, contrib, known));
  }
  sec.append(h('p', 'legend', 'upstream gradient × local gradient = contribution to each input'));
  return sec;
}

/** An input that also feeds other gates: its gradient is this contribution plus theirs (+=). */
function othersRow(t, src, contrib, known) {
  const row = h('div', 'chain-row fan');
  const all = t.others.map((o) => (known.of(o.edge.target) === 'backward' ? num(o.contribution, t.source.shape) : '?'));
  const total = known.of(t.source.id) === 'backward' ? num(t.total, t.source.shape) : '?';
  const body = `\\frac{\\partial L}{\\partial ${texName(src)}} = ${contrib} + ${all.join(' + ')} = ${total}`;
  row.append(h('span', 'to', `${src} is used ${t.others.length + 1}×, so its gradient adds up: `), tex(body));
  return row;
}

/** Where this node fans out: the contributions of its consumers add up (+=) into its gradient. */
function fanoutSection(info, known) {
  const sec = h('section', 'fanout');
  const n = info.node;
  if (info.isOutput && !info.fanout.length) {
    const seed = info.seed === 'ones'
      ? 'The backward pass starts here with a gradient of ones: the gradients are those of sum(output).'
      : 'The backward pass starts here: ∂L/∂L = 1 (the seed).';
    sec.append(h('h3', '', 'Output'), h('p', 'legend', seed));
    return sec;
  }
  sec.append(h('h3', '', `Fan-out: ${nodeTitle(n)} is used ${info.fanout.length}×`));
  const terms = info.fanout.map((f) => (known.grad ? num(f.contribution, n.shape) : '?'));
  const total = known.grad ? num(n.grad, n.shape) : '?';
  sec.append(tex(`\\frac{\\partial L}{\\partial ${texName(nodeTitle(n))}} \\mathrel{+}= ${terms.join(' + ')} = ${total}`));
  return sec;
}

/** A number (or a tensor's shape) as TeX. */
function num(v, shape) {
  if (isTensorShape(shape)) return `[${formatShape(shape)}]`;
  return texNumber(formatNumber(v));
}

/** A user name as TeX (escaped, upright for multi-letter names). */
function texName(name) {
  const safe = String(name).replace(/[^A-Za-z0-9]/g, '');
  return safe.length <= 1 ? safe || 'x' : `\\mathrm{${safe}}`;
}
