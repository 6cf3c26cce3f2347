// Practice mode: the backward pass is the student's. Every gradient stays hidden until it is typed
// in, gate by gate in backward order; right answers reveal it and move the pass on, wrong ones get a
// hint in three steps. The page computes every answer; an exercise link carries none.
import { inputValues } from '../graph-state.js';
import { encodeHash } from '../share.js';
import { renderTex } from '../tex.js';
import { answerText, checkAnswer, questionsFor } from './practice-model.js';
import { t } from '../i18n.js';
import { mark, translateDom } from '../i18n-dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PANEL = `
  <div class="panel-head"><h2 data-i18n="practice.title">Practice</h2><span id="practice-score" class="practice-score"></span></div>
  <p id="practice-prompt" class="practice-prompt"></p>
  <div id="practice-hint" class="practice-hint" data-hint-level="0" aria-live="polite"></div>
  <div class="practice-buttons">
    <button id="practice-hint-button" class="small" data-i18n="practice.hint">Hint</button>
    <button id="practice-show" class="small" title="Fill in this answer and go on" data-i18n-title="practice.show_title" data-i18n="practice.show">Show me</button>
    <button id="practice-link" class="small" title="A link that opens this exercise in practice mode" data-i18n-title="practice.link_title" data-i18n="practice.link">Exercise link</button>
  </div>
  <input id="practice-link-url" class="practice-link-url" readonly hidden aria-label="Exercise link" data-i18n-aria-label="practice.link">
  <div id="practice-revealed" class="practice-revealed" hidden></div>`;

/** Mounts practice mode: the #practice switch, its panel, and the answer boxes on the circuit. */
export function mountPractice(app, { svg, toolbar, sidebar, toast }) {
  const toggle = mark(Object.assign(document.createElement('button'), { id: 'practice' }), { text: 'practice.title', title: 'practice.toggle_title' });
  toggle.setAttribute('role', 'switch');
  toggle.setAttribute('aria-checked', 'false');
  toolbar.prepend(toggle);
  const panel = Object.assign(document.createElement('section'), { id: 'practice-panel', className: 'panel practice-panel', hidden: true });
  panel.innerHTML = PANEL;
  translateDom(panel);
  sidebar.prepend(panel);
  const p = new Practice(app, svg, panel, toggle, toast);
  toggle.addEventListener('click', () => (p.on ? p.stop() : p.start()));
  if (new URLSearchParams(location.hash.slice(1)).get('practice') === '1') p.startWhenDrawn();
  return p;
}

/** Practice state: the frontier (next backward step), its questions, hints and the score. */
class Practice {
  constructor(app, svg, panel, toggle, toast) {
    Object.assign(this, { app, svg, panel, toggle, toast, on: false, moving: false, key: null });
    this.score = { right: 0, first: 0, shown: 0, wrong: 0 };
    this.el = (id) => panel.querySelector(`#${id}`);
    this.layer = document.createElementNS(SVG_NS, 'g');
    this.layer.setAttribute('class', 'practice-layer');
    svg.querySelector('.viewport').append(this.layer);
    this.el('practice-hint-button').addEventListener('click', () => this.hint());
    this.el('practice-show').addEventListener('click', () => this.showMe());
    this.el('practice-link').addEventListener('click', () => this.link());
    app.onGraph(() => this.on && this.restart());
    svg.addEventListener('click', (ev) => {
      const id = ev.target.closest?.('[data-node-id]')?.dataset.nodeId;
      if (this.on && id) this.picked = id;
    });
    app.onStep((pos) => this.guard(pos));
  }

  /** Turns practice on once the first circuit is drawn (an exercise link). */
  startWhenDrawn() {
    if (this.app.getGraph()) return this.start();
    const off = this.app.onGraph(() => {
      off();
      this.start();
    });
  }

  start() {
    if (!this.app.getGraph()) return;
    this.on = true;
    this.toggle.setAttribute('aria-checked', 'true');
    this.svg.classList.add('practicing');
    document.body.dataset.practice = 'on';
    this.panel.hidden = false;
    this.restart();
  }

  stop() {
    this.on = false;
    this.toggle.setAttribute('aria-checked', 'false');
    this.svg.classList.remove('practicing');
    delete document.body.dataset.practice;
    this.panel.hidden = true;
    this.layer.replaceChildren();
    this.clearAnswered();
    this.move(this.app.getSchedule()?.length ?? 0);
  }

  /** A new circuit or new values: the backward pass starts again (the score is kept). */
  restart() {
    const key = JSON.stringify([this.app.getProgram().expression, inputValues(this.app.getGraph())]);
    if (key !== this.key) {
      this.key = key;
      this.frontier = this.app.getSchedule().forwardCount;
      this.clearAnswered();
    }
    this.move(this.frontier);
    this.keepFlagInUrl();
    this.prepare();
  }

  /** Finds the next step with something to compute, moving the pass over the ones without. */
  prepare() {
    const schedule = this.app.getSchedule();
    const index = this.app.getIndex();
    this.questions = [];
    while (this.frontier < schedule.length) {
      const step = schedule.steps[this.frontier];
      this.questions = step.kind === 'backward' ? questionsFor(index, step.node) : [];
      if (this.questions.length) break;
      this.move(++this.frontier);
    }
    this.q = 0;
    this.ask();
  }

  /** Shows the current question: its box on the circuit and its prompt in the panel. */
  ask() {
    this.layer.replaceChildren();
    this.el('practice-revealed').hidden = true;
    this.picked = null;
    this.level = 0;
    this.setHint();
    const q = this.questions[this.q];
    this.updateScore();
    if (!q) {
      this.el('practice-prompt').textContent = t('practice.complete');
      document.body.dataset.practiceDone = 'true';
      return;
    }
    delete document.body.dataset.practiceDone;
    this.el('practice-prompt').textContent = q.prompt;
    const box = this.answerBox(q);
    this.layer.append(box.fo);
    box.input.focus({ preventScroll: true });
  }

  /** A foreignObject with the answer input, where the asked gradient will appear. */
  answerBox(q) {
    const model = this.app.getLayout();
    const at = q.kind === 'sum' ? nodeAnchor(model.nodes[q.node]) : model.edges[q.edge]?.label;
    const fo = document.createElementNS(SVG_NS, 'foreignObject');
    const w = q.ask === 'whole' ? 150 : 92;
    const pos = at || { x: 0, y: 0 };
    for (const [k, v] of Object.entries({ x: pos.x - w / 2, y: pos.y - 1, width: w, height: 26 })) fo.setAttribute(k, v);
    const input = document.createElement('input');
    Object.assign(input, { type: 'text', className: 'practice-input', placeholder: q.ask === 'shape' ? t('practice.shape_placeholder') : '?', autocomplete: 'off' });
    input.dataset.practiceNode = this.app.getSchedule().steps[this.frontier].node;
    input.dataset.practicePart = q.part;
    input.dataset.practiceAsk = q.ask;
    if (q.element) input.dataset.practiceElement = q.element.join(',');
    input.setAttribute('aria-label', q.prompt);
    input.addEventListener('keydown', (ev) => {
      ev.stopPropagation(); // arrows and space type here, they do not step the animation
      if (ev.key === 'Enter') this.answer(input);
    });
    fo.append(input);
    return { fo, input };
  }

  /** Enter: right moves on, wrong is marked and hinted. */
  answer(input) {
    const q = this.questions[this.q];
    const res = checkAnswer(input.value, q);
    if (res.ok) {
      this.score.right += 1;
      if (!this.level) this.score.first += 1;
      return this.next(q);
    }
    input.dataset.practice = 'wrong';
    this.score.wrong += 1;
    if (res.error) this.el('practice-prompt').textContent = `${q.prompt} · ${res.error}`;
    this.hint();
    this.updateScore();
    input.select();
  }

  /** The next hint: upstream × local, then the local formula, then the numbers. */
  hint() {
    const q = this.questions?.[this.q];
    if (!q) return;
    this.level = Math.min(3, this.level + 1);
    this.setHint(q);
  }

  setHint(q) {
    const box = this.el('practice-hint');
    box.dataset.hintLevel = String(this.level || 0);
    box.replaceChildren();
    if (!q) return;
    q.hints.slice(0, this.level).forEach((h, i) => {
      const row = document.createElement('div');
      row.className = `hint-step hint-${i + 1}`;
      if (typeof h === 'string') row.textContent = h;
      else if (h.tex) renderTex(row, h.tex, h.text);
      else row.textContent = h.text;
      box.append(row);
    });
  }

  /** "Show me": the answer is filled in and the pass moves on (not scored); for a clicked gate that
   *  is not the awaiting one, its answers are listed instead. */
  showMe() {
    const awaiting = this.app.getSchedule()?.steps[this.frontier]?.node;
    if (this.picked && this.picked !== awaiting) return this.reveal(this.picked);
    const q = this.questions?.[this.q];
    if (!q) return;
    this.score.shown += 1;
    this.toast?.(`${q.stem} = ${answerText(q)}`);
    this.next(q);
  }

  /** Lists the answers of any gate (clicked), counted as shown. */
  reveal(id) {
    const qs = questionsFor(this.app.getIndex(), id);
    const box = this.el('practice-revealed');
    box.replaceChildren(...qs.map((q) => Object.assign(document.createElement('div'), {
      className: 'revealed', textContent: `${q.short} = ${answerText(q)}`,
    })));
    if (!qs.length) box.textContent = t('practice.nothing');
    box.dataset.node = id;
    box.hidden = false;
    this.score.shown += qs.length;
    this.picked = null;
    this.updateScore();
  }

  /** Reveals a right answer and asks the next question, or takes the gate's backward step. */
  next(q) {
    if (q.edge && q.ask !== 'shape') this.svg.querySelector(`[data-edge-id="${CSS.escape(q.edge)}"]`)?.classList.add('practice-answered');
    this.q += 1;
    if (this.q < this.questions.length) return this.ask();
    this.move(++this.frontier);
    this.prepare();
  }

  /** Keeps the player at the frontier: stepping ahead would show the answers. */
  guard(pos) {
    if (this.on && !this.moving && pos !== this.frontier) this.move(this.frontier);
  }

  move(pos) {
    this.moving = true;
    try {
      this.app.seekTo(pos);
    } finally {
      this.moving = false;
    }
  }

  clearAnswered() {
    for (const e of this.svg.querySelectorAll('.practice-answered')) e.classList.remove('practice-answered');
  }

  updateScore() {
    const s = this.score;
    const el = this.el('practice-score');
    el.textContent = t('practice.score', s);
    Object.assign(el.dataset, { right: s.right, first: s.first, shown: s.shown, wrong: s.wrong });
  }

  /** The exercise link: program, input values, fold choices and practice=1; the page computes the answers. */
  link() {
    const graph = this.app.getGraph();
    if (!graph) return;
    const { expression, expand } = this.app.getProgram();
    const fold = this.app.folded; // the calls of user functions folded against the default
    const url = `${location.origin}${location.pathname}${encodeHash({ expression, values: inputValues(graph), expand, fold })}&practice=1`;
    const box = this.el('practice-link-url');
    box.value = url;
    box.hidden = false;
    box.select();
    navigator.clipboard?.writeText(url).then(() => this.toast?.(t('practice.link_copied')), () => {});
  }

  /** The app rewrites the hash after each drawing; practice keeps its flag in it. */
  keepFlagInUrl() {
    setTimeout(() => {
      if (this.on && !/[#&]practice=1/.test(location.hash)) history.replaceState(null, '', `${location.hash}&practice=1`);
    }, 0);
  }
}

/** Where a node's gradient is written: just under its box. */
function nodeAnchor(box) {
  return box ? { x: box.x + box.w / 2, y: box.y + box.h + 2 } : null;
}
