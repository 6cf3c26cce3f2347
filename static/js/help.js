// The examples menu (from /api/examples) and the help dialog listing the language (from /api/ops).
import { displayLabel } from './format.js';
import { renderTex } from './tex.js';
import { has, t } from './i18n.js';
import { setInline } from './i18n-dom.js';

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
  const first = Object.assign(document.createElement('option'), { value: '', textContent: t('toolbar.examples_menu') });
  first.dataset.i18n = 'toolbar.examples_menu';
  select.replaceChildren(first, ...opts);
  select.onchange = () => { // one handler: the menu is filled again in each language
    const ex = examples[Number(select.value)];
    if (ex) onPick(ex);
  };
  return {
    /** Shows the example with this index as loaded (-1: none). */
    show: (i) => (select.value = i >= 0 ? String(i) : ''),
  };
}

/** Fills the help dialog: the language's constructs (def) first, then one entry per op. */
export function fillHelp(container, ops) {
  const byCat = new Map([['language', []]]); // the constructs head the reference
  for (const op of ops) {
    const cat = op.category || 'other';
    if (!byCat.has(cat)) byCat.set(cat, []);
    byCat.get(cat).push(op);
  }
  const frag = document.createDocumentFragment();
  frag.append(pastingHelp());
  for (const [cat, list] of byCat) {
    if (!list.length) continue;
    const h = Object.assign(document.createElement('h3'), { textContent: has(`help.category.${cat}`) ? t(`help.category.${cat}`) : cat });
    frag.append(h, ...list.map(opEntry));
  }
  container.replaceChildren(frag);
}

/** One op: syntax, symbol, doc, local-gradient formulas, and its expansion if composite. */
function opEntry(op) {
  if (op.kind === 'construct') return constructEntry(op);
  const d = document.createElement('div');
  d.className = 'op-entry';
  d.dataset.op = op.name;
  const head = document.createElement('div');
  head.className = 'op-head';
  const code = Object.assign(document.createElement('code'), { textContent: op.syntax || op.name });
  const sym = Object.assign(document.createElement('span'), { className: 'op-symbol', textContent: displayLabel({ label: op.symbol || '' }) });
  head.append(sym, code);
  if (op.composite) head.append(Object.assign(document.createElement('span'), { className: 'tag', textContent: t('help.composite') }));
  d.append(head, Object.assign(document.createElement('p'), { textContent: op.doc || '' }));
  if ((op.spellings || []).length) {
    d.append(Object.assign(document.createElement('p'), { className: 'op-spellings', textContent: t('help.also_written', { spellings: op.spellings.join(', ') }) }));
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

/** A construct (def): its one-line form, its other forms, its doc and an example program. */
function constructEntry(op) {
  const d = Object.assign(document.createElement('div'), { className: 'op-entry construct' });
  d.dataset.op = op.name;
  const head = Object.assign(document.createElement('div'), { className: 'op-head' });
  head.append(Object.assign(document.createElement('code'), { textContent: op.syntax }));
  if (op.composite) head.append(Object.assign(document.createElement('span'), { className: 'tag', textContent: t('help.def.tag') }));
  const pre = (text, cls) => Object.assign(document.createElement('pre'), { className: cls, textContent: text });
  d.append(head, Object.assign(document.createElement('p'), { className: 'op-doc', textContent: op.doc || '' }));
  if ((op.spellings || []).length) {
    d.append(Object.assign(document.createElement('p'), { textContent: t('help.def.forms') }), ...op.spellings.map((s) => pre(s, 'op-form')));
  }
  if (op.expansion) d.append(Object.assign(document.createElement('p'), { textContent: t('help.def.example') }), pre(op.expansion, 'op-example'));
  return d;
}

/** What pasted Python and NumPy the language takes, and how a hand-written backward pass is graded. */
function pastingHelp() {
  const d = document.createElement('div');
  d.className = 'help-pasting';
  const items = ['python', 'random', 'backward'].map((k) => [t(`help.pasting.${k}.title`), t(`help.pasting.${k}.text`)]);
  for (const [title, text] of items) {
    const p = document.createElement('p');
    setInline(p, text); // code in running text
    d.append(Object.assign(document.createElement('h3'), { textContent: title }), p);
  }
  return d;
}
