// The diagnostics overlay: gates and wires coloured by gradient magnitude on a log scale, and the
// engine's flags (dead ReLU, saturation, vanishing/exploding, no influence, largest contributions)
// on the gates they concern, each explained in the explain panel.
import { post } from '../api.js';
import { toNumber } from '../format.js';
import { inputValues } from '../graph-state.js';
import { errorText, t as tr } from '../i18n.js';
import { mark, say } from '../i18n-dom.js';

const LOG_LO = -6; // 1e-6 and below: the coldest colour
const LOG_HI = 2; // 1e2 and above: the hottest
const DELAY_MS = 150;

/** A flag's title and message in the page's language, from their codes and params. */
const titleOf = (f) => errorText({ code: f.title_code, params: f.params, message: f.title });

/** Colour of a gradient magnitude: blue (vanishing) through green to red (large), log scale. */
export function magnitudeColor(m) {
  if (m === null || m === undefined) return '#c9ced6';
  const x = toNumber(m);
  if (Number.isNaN(x)) return '#7b1fa2';
  if (x === 0) return '#263238';
  const t = Math.max(0, Math.min(1, (Math.log10(x) - LOG_LO) / (LOG_HI - LOG_LO)));
  return `hsl(${Math.round(225 - 225 * t)}, 75%, ${Math.round(48 + 6 * Math.sin(Math.PI * t))}%)`;
}

/** The decade of a magnitude, as data-diag-level: "none", "zero", "nan" or log10 rounded. */
export function magnitudeLevel(m) {
  if (m === null || m === undefined) return 'none';
  const x = toNumber(m);
  if (Number.isNaN(x)) return 'nan';
  if (x === 0) return 'zero';
  return String(Math.round(Math.log10(x)));
}

/** Mounts the #diagnostics toggle, the legend, and the flags' section in the explain panel. */
export function mountDiagnostics(app, { svg, toolbar, stage, explainer, toast }) {
  const toggle = mark(Object.assign(document.createElement('button'), { id: 'diagnostics' }), { text: 'diag.toggle', title: 'diag.toggle_title' });
  toggle.setAttribute('aria-pressed', 'false');
  toolbar.prepend(toggle);
  const legend = Object.assign(document.createElement('div'), { id: 'diagnostics-legend', className: 'diag-legend', hidden: true });
  stage.append(legend);
  const d = new Diagnostics(app, svg, legend, toggle, toast);
  toggle.addEventListener('click', () => d.set(!d.on));
  const show = explainer.show.bind(explainer);
  explainer.show = (index, id, stateOf) => {
    show(index, id, stateOf);
    d.explain(id);
  };
  d.panel = document.querySelector('#explain');
  return d;
}

class Diagnostics {
  constructor(app, svg, legend, toggle, toast) {
    Object.assign(this, { app, svg, legend, toggle, toast, on: false, result: null, seq: 0, timer: null });
    app.onGraph(() => {
      if (!this.on) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), DELAY_MS);
    });
  }

  set(on) {
    if (on && document.body.dataset.practice === 'on') return this.toast?.(tr('diag.leave_practice'));
    this.on = on;
    this.toggle.setAttribute('aria-pressed', String(on));
    this.svg.classList.toggle('diagnosing', on);
    this.legend.hidden = !on;
    if (on) return this.refresh();
    this.result = null;
    this.paint();
  }

  async refresh() {
    const graph = this.app.getGraph();
    if (!graph) return;
    const my = ++this.seq;
    try {
      const res = await post('/api/diagnostics', { ...this.app.getProgram(), values: inputValues(graph) });
      if (my !== this.seq || !this.on) return;
      this.result = res;
      this.paint();
      this.app.refreshPanels();
      document.body.dataset.diagnosed = String(my);
    } catch (err) {
      if (my === this.seq) this.toast?.(() => tr('diag.error', { message: errorText(err) }));
    }
  }

  /** Colours, flags and the legend from the last result (or none). */
  paint() {
    const res = this.result;
    const flags = byNode(res?.flags || []);
    for (const g of this.svg.querySelectorAll('[data-node-id]')) {
      const id = g.dataset.nodeId;
      const m = res?.nodes[id];
      g.style.setProperty('--diag', res ? magnitudeColor(m) : '');
      if (res) g.dataset.diagLevel = magnitudeLevel(m);
      else delete g.dataset.diagLevel;
      const warn = (flags.get(id) || []).filter((f) => f.severity === 'warning');
      setFlags(g, warn);
    }
    const top = new Set((res?.flags || []).filter((f) => f.kind === 'top_contributions').map((f) => f.contributions[0].edge));
    for (const g of this.svg.querySelectorAll('[data-edge-id]')) {
      const m = res?.edges[g.dataset.edgeId];
      g.style.setProperty('--diag', res ? magnitudeColor(m) : '');
      if (res) g.dataset.diagLevel = magnitudeLevel(m);
      else delete g.dataset.diagLevel;
      g.classList.toggle('diag-top', top.has(g.dataset.edgeId));
    }
    this.fillLegend(res);
  }

  /** The colour bar and the list of warnings (click one to select its gate). */
  fillLegend(res) {
    this.legend.replaceChildren();
    if (!res) return;
    const bar = document.createElement('div');
    bar.className = 'diag-bar';
    bar.innerHTML = `<span>|∂L/∂·| 1e${LOG_LO}</span><i></i><span>1e${LOG_HI}</span>`;
    bar.querySelector('i').style.background = `linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map((t) => magnitudeColor(10 ** (LOG_LO + t * (LOG_HI - LOG_LO)))).join(', ')})`;
    const list = document.createElement('ul');
    const warns = res.flags.filter((f) => f.severity === 'warning');
    for (const f of warns) {
      const li = document.createElement('li');
      li.dataset.flagKind = f.kind;
      li.dataset.flagNode = f.node;
      say(li, 'text', () => `⚠ ${titleOf(f)}`); // from the flag's codes: a switch writes them again
      say(li, 'title', () => errorText(f));
      li.addEventListener('click', () => this.app.select(f.node));
      list.append(li);
    }
    const none = document.createElement('p');
    if (!warns.length) say(none, 'text', () => tr('diag.none'));
    this.legend.append(bar, list, none);
  }

  /** Appends the flags of node id to the explain panel. */
  explain(id) {
    if (!this.on || !this.result || !this.panel) return;
    const mine = this.result.flags.filter((f) => f.node === id || f.worst === id);
    const m = this.result.nodes[id];
    const sec = document.createElement('section');
    sec.className = 'diag-explain';
    sec.append(mark(document.createElement('h3'), { text: 'diag.title' }));
    const size = document.createElement('p');
    size.className = 'diag-size';
    say(size, 'text', () => (m === null || m === undefined ? tr('diag.no_gradient') : tr('diag.largest', { value: toNumber(m).toPrecision(3) })));
    sec.append(size);
    for (const f of mine) {
      const p = document.createElement('p');
      p.className = `diag-flag-text ${f.severity}`;
      p.dataset.flagKind = f.kind;
      const b = document.createElement('strong');
      say(b, 'text', () => `${f.severity === 'warning' ? '⚠ ' : ''}${titleOf(f)}. `);
      p.append(b, say(document.createElement('span'), 'text', () => errorText(f)));
      sec.append(p);
    }
    this.panel.append(sec);
  }
}

/** Flags grouped by the node they are on. */
function byNode(flags) {
  const out = new Map();
  for (const f of flags) out.set(f.node, [...(out.get(f.node) || []), f]);
  return out;
}

/** data-flag (the kinds) and a ⚠ mark on a gate. */
function setFlags(g, flags) {
  g.querySelector('.diag-mark')?.remove();
  if (!flags.length) return delete g.dataset.flag;
  g.dataset.flag = flags.map((f) => f.kind).join(' ');
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  t.setAttribute('class', 'diag-mark');
  t.setAttribute('x', '-4');
  t.setAttribute('y', '2');
  t.textContent = '⚠';
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  say(title, 'text', () => flags.map(titleOf).join('; '));
  t.append(title);
  g.append(t);
}
