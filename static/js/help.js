// The examples menu (from /api/examples) and the help dialog listing the language (from /api/ops).
import { displayLabel } from './format.js';
import { renderTex } from './tex.js';

/** Fills the examples <select>, which keeps showing the loaded example until the program is
 *  edited; onPick(example) when the user chooses one. Returns {edited()} to call on edits. */
export function fillExamples(select, examples, onPick) {
  const opts = examples.map((ex, i) => {
    const o = document.createElement('option');
    o.value = String(i);
    o.textContent = ex.title || ex.name;
    o.title = ex.description || '';
    return o;
  });
  const first = Object.assign(document.createElement('option'), { value: '', textContent: 'Examples…' });
  select.replaceChildren(first, ...opts);
  select.addEventListener('change', () => {
    const ex = examples[Number(select.value)];
    if (ex) onPick(ex);
  });
  return {
    /** Shows the example with this index as loaded (-1: none). */
    show: (i) => (select.value = i >= 0 ? String(i) : ''),
  };
}

/** Fills the help dialog with one entry per callable op (and the operators). */
export function fillHelp(container, ops) {
  const byCat = new Map();
  for (const op of ops) {
    const cat = op.category || 'other';
    if (!byCat.has(cat)) byCat.set(cat, []);
    byCat.get(cat).push(op);
  }
  const frag = document.createDocumentFragment();
  frag.append(pastingHelp());
  for (const [cat, list] of byCat) {
    const h = Object.assign(document.createElement('h3'), { textContent: cat });
    frag.append(h, ...list.map(opEntry));
  }
  container.replaceChildren(frag);
}

/** One op: syntax, symbol, doc, local-gradient formulas, and its expansion if composite. */
function opEntry(op) {
  const d = document.createElement('div');
  d.className = 'op-entry';
  const head = document.createElement('div');
  head.className = 'op-head';
  const code = Object.assign(document.createElement('code'), { textContent: op.syntax || op.name });
  const sym = Object.assign(document.createElement('span'), { className: 'op-symbol', textContent: displayLabel({ label: op.symbol || '' }) });
  head.append(sym, code);
  if (op.composite) head.append(Object.assign(document.createElement('span'), { className: 'tag', textContent: 'composite' }));
  d.append(head, Object.assign(document.createElement('p'), { textContent: op.doc || '' }));
  if ((op.spellings || []).length) {
    d.append(Object.assign(document.createElement('p'), { className: 'op-spellings', textContent: `Also written: ${op.spellings.join(', ')}` }));
  }
  const forms = op.formulas_tex || [];
  forms.forEach((tex, i) => {
    const f = document.createElement('div');
    f.className = 'formula';
    renderTex(f, tex, (op.formulas || [])[i] || tex);
    d.append(f);
  });
  if (op.expansion) d.append(Object.assign(document.createElement('pre'), { textContent: op.expansion }));
  return d;
}

/** What pasted Python and NumPy the language takes, and how a hand-written backward pass is graded. */
function pastingHelp() {
  const d = document.createElement('div');
  d.className = 'help-pasting';
  const items = [
    ['Python and NumPy as you write them', 'np.exp(x), math.exp(x), x.exp(), W.dot(X), x.T, c += c + 1, Value(-4.0), np.array([...]), np.zeros((2, 3)), np.ones(n). Lines import numpy as np and import math are accepted and ignored.'],
    ['Random inputs', 'W = np.random.randn(5, 10) (or rand) makes W an input with reproducible values, drawn from the program and the name; after np.random.seed(n) they are NumPy\'s own numbers. The shape is checked against the budgets before anything is drawn.'],
    ['Your own backward pass', 'Lines d<name> = … (and +=) after the forward program are your backward pass: each is checked against the true gradient, summed over the branches you have accumulated so far, and marked right or wrong at its line and gate, naming the classic mistakes (= where += was needed, a missing upstream factor, a transposed product). A line dD = … for the output gives the gradient the pass starts from.'],
  ];
  for (const [title, text] of items) {
    d.append(Object.assign(document.createElement('h3'), { textContent: title }), Object.assign(document.createElement('p'), { textContent: text }));
  }
  return d;
}
