// The hand-written backward pass, graded: each `d<name> = …` line is marked right or wrong in the
// editor's gutter and at its gate, and listed with the engine's true value beside the user's.
import { formatNumber, formatShape } from './format.js';
import { errorText, t } from './i18n.js';

const ICON = { right: '✓', wrong: '✗', error: '!', given: '→' };

/** A verdict's message in the page's language (from its code and params; some right lines have none). */
const said = (v) => (v.code ? errorText(v) : v.message);

/** Mounts the grading panel after the editor panel; it follows every drawn graph. */
export function mountGrading(app, { gutter, svg, after }) {
  ensureStylesheet();
  const panel = document.createElement('section');
  panel.className = 'panel grading-panel';
  panel.id = 'grading';
  panel.hidden = true;
  after.after(panel);
  app.onGraph((graph) => show(app, graph.handwritten || [], { panel, gutter, svg }));
  return panel;
}

/** Draws the verdicts: gutter marks, gate marks and the list. */
function show(app, verdicts, { panel, gutter, svg }) {
  for (const el of svg.querySelectorAll('.node[data-grade]')) delete el.dataset.grade;
  panel.hidden = verdicts.length === 0;
  if (!verdicts.length) return;
  markGutter(gutter, verdicts);
  markGates(svg, verdicts);
  const right = verdicts.filter((v) => v.verdict === 'right').length;
  const graded = verdicts.filter((v) => v.verdict !== 'given').length;
  const head = document.createElement('h2');
  const sub = Object.assign(document.createElement('span'), { className: 'sub', textContent: t('grading.score', { right, graded }) });
  head.append(t('grading.title'), ' ', sub);
  const list = document.createElement('ol');
  list.className = 'grades';
  for (const v of verdicts) list.append(row(app, v));
  panel.replaceChildren(head, list);
}

/** One verdict: line, target, mark, message, the user's value and the true one. */
function row(app, v) {
  const li = document.createElement('li');
  li.className = `grade grade-${v.verdict}`;
  li.dataset.line = String(v.line);
  li.dataset.verdict = v.verdict;
  if (v.mistake) li.dataset.mistake = v.mistake;
  const head = document.createElement('button');
  head.type = 'button';
  head.className = 'grade-head';
  head.title = t('grading.select', { name: v.name });
  head.textContent = `${ICON[v.verdict] || ''} ${t('grading.line', { line: v.line })}: ${v.target} ${v.how} …`;
  head.addEventListener('click', () => app.select(v.node));
  const msg = document.createElement('div');
  msg.className = 'grade-message';
  msg.textContent = said(v);
  li.append(head, msg);
  if (v.verdict === 'wrong' || v.verdict === 'right') {
    const nums = document.createElement('div');
    nums.className = 'grade-values';
    nums.textContent = t('grading.values', { yours: show1(v.value), truth: show1(v.expected) });
    li.append(nums);
  }
  return li;
}

/** A value for the list: a number, or a tensor's shape. */
function show1(v) {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return t('grading.array', { shape: formatShape(shapeOf(v)) });
  return formatNumber(v);
}

/** The shape of a nested list. */
function shapeOf(v) {
  const shape = [];
  for (let x = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  return shape;
}

/** Marks each graded line's number in the gutter (the worst verdict of the line wins). */
function markGutter(gutter, verdicts) {
  for (const d of gutter.querySelectorAll('[data-grade]')) delete d.dataset.grade;
  for (const v of verdicts) {
    const d = gutter.children[v.line - 1];
    if (!d || d.dataset.grade === 'wrong' || d.dataset.grade === 'error') continue;
    d.dataset.grade = v.verdict;
    d.title = said(v);
  }
}

/** Marks the gate of each graded name: wrong if any of its lines is wrong. */
function markGates(svg, verdicts) {
  for (const v of verdicts) {
    if (v.verdict === 'given') continue;
    const g = svg.querySelector(`.node[data-node-id="${CSS.escape(v.node)}"]`);
    if (!g || g.dataset.grade === 'wrong') continue;
    g.dataset.grade = v.verdict === 'right' ? 'right' : 'wrong';
  }
}

/** Adds grading.css to the page once. */
function ensureStylesheet() {
  if (document.querySelector('link[href$="/css/grading.css"]')) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/static/css/grading.css' }));
}
