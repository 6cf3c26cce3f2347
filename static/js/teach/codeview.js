// The Code panel: the program's staged forward and backward NumPy lines, as codegen writes them,
// each tied to its gate. The current animation step's lines are highlighted with its gate, with
// their numbers inline; clicking a line selects its gate, clicking a gate scrolls to its lines.
// A step inside an open call of a user function highlights its line in the def's Python function,
// and marks the call's own lines (data-call) so the reader sees which call it is.
import { post } from '../api.js';
import { formatNumber, formatShape, isTensorShape } from '../format.js';
import { inputValues, openCalls } from '../graph-state.js';
import { errorText, t } from '../i18n.js';
import { mark, say, translateDom } from '../i18n-dom.js';

const DELAY_MS = 120; // scrubbing and training redraw often: fetch once they pause

/** Mounts the Code toggle and the #code-view panel over the right of the stage. */
export function mountCodeView(app, { svg, toolbar, stage }) {
  const toggle = mark(Object.assign(document.createElement('button'), { id: 'code-toggle' }), { text: 'code.toggle', title: 'code.toggle_title' });
  toggle.setAttribute('aria-pressed', 'false');
  toolbar.prepend(toggle);
  const view = Object.assign(document.createElement('section'), { id: 'code-view', className: 'code-view', hidden: true });
  view.innerHTML = '<div class="code-head"><h2 data-i18n="code.toggle">Code</h2><label><input type="checkbox" id="code-inline" checked> <span data-i18n="code.inline">numbers inline</span></label>'
    + '<button class="close" aria-label="Close code" data-i18n-aria-label="code.close">×</button></div><div class="code-body" role="list" translate="no"></div>';
  translateDom(view);
  stage.append(view);
  const cv = new CodeView(app, view, svg);
  const open = (on) => {
    view.hidden = !on;
    toggle.setAttribute('aria-pressed', String(on));
    if (on) cv.refresh();
  };
  toggle.addEventListener('click', () => open(view.hidden));
  view.querySelector('.close').addEventListener('click', () => open(false));
  return cv;
}

/** The panel's lines, the owners codegen reported, and the highlighted step. */
class CodeView {
  constructor(app, view, svg) {
    Object.assign(this, { app, view, body: view.querySelector('.code-body'), key: null, seq: 0, timer: null });
    this.inside = new Map(); // "node id phase" -> the rows of def functions that write it
    app.onGraph(() => this.schedule());
    app.onStep((pos, active) => this.highlight(active));
    view.querySelector('#code-inline').addEventListener('change', () => this.highlight(this.active));
    this.body.addEventListener('click', (ev) => {
      const line = ev.target.closest('[data-code-node]');
      if (line) app.select(line.dataset.codeNode);
    });
    svg.addEventListener('click', (ev) => {
      const id = ev.target.closest?.('[data-node-id]')?.dataset.nodeId;
      if (id && !view.hidden) this.reveal(id);
    });
  }

  schedule() {
    if (this.view.hidden) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), DELAY_MS);
  }

  /** Fetches the staged code of the program at its current values (only when it changed). */
  async refresh() {
    const graph = this.app.getGraph();
    if (!graph) return;
    const req = { ...this.app.getProgram(), values: inputValues(graph) };
    const key = JSON.stringify(req);
    if (key === this.key) return this.highlight(this.active);
    const my = ++this.seq;
    try {
      const res = await post('/api/codegen', req);
      if (my !== this.seq) return;
      this.key = key;
      this.render(res.code, res.lines || [], graph, res.inside || []);
      this.view.dataset.loaded = String(my);
    } catch (err) {
      if (my === this.seq) this.body.replaceChildren(say(document.createElement('span'), 'text', () => t('code.error', { message: errorText(err) })));
    }
  }

  /** One row per line: the gate's number (1)…(n) by its forward line and its backward header. */
  render(code, owners, graph, inside) {
    this.inside = new Map();
    const number = gateNumbers(graph);
    const rows = code.replace(/\n$/, '').split('\n').map((text, k) => {
      const row = document.createElement('div');
      row.className = 'code-line';
      row.setAttribute('role', 'listitem');
      const own = owners[k];
      const tag = document.createElement('span');
      tag.className = 'gate-no';
      const code = document.createElement('code');
      code.textContent = text;
      const nums = document.createElement('span');
      nums.className = 'inline-nums';
      if (own) {
        row.dataset.codeNode = own[0];
        row.dataset.codePhase = own[1];
        const starts = own[1] === 'forward' || text.startsWith('# backprop');
        if (starts && number.has(own[0])) tag.textContent = `(${number.get(own[0])})`;
      }
      row.append(tag, code, nums);
      for (const [id, phase] of inside[k] || []) {
        const key = `${id} ${phase}`;
        if (!this.inside.has(key)) this.inside.set(key, []);
        this.inside.get(key).push(row);
      }
      return row;
    });
    this.body.replaceChildren(...rows);
    this.highlight(this.active);
  }

  /** Marks the lines of the active step: the gate's forward line, or the block it sends back; inside
   *  an open call, those in its def's function, with the lines of the calls around it. */
  highlight(active) {
    this.active = active;
    const index = this.app.getIndex();
    const inline = this.view.querySelector('#code-inline').checked;
    const { current, around } = this.marked(index, active);
    let first = null;
    for (const row of this.body.querySelectorAll('.code-line')) {
      const on = current.has(row);
      row.toggleAttribute('data-current', on);
      row.toggleAttribute('data-call', !on && around.has(row));
      row.querySelector('.inline-nums').textContent = on && inline && index ? lineNumbers(index, row, active, current) : '';
      if (on && !first) first = row;
    }
    if (first && !this.view.hidden) first.scrollIntoView({ block: 'nearest' });
  }

  /** The rows of the active step (current) and of the open calls it is inside (around). */
  marked(index, active) {
    const current = new Set(), around = new Set();
    if (!active || !index) return { current, around };
    const direct = (id, kind) => [...this.body.querySelectorAll(`[data-code-node="${CSS.escape(id)}"]`)]
      .filter((r) => phaseOf(r.dataset.codePhase) === kind);
    const inside = (id, phase) => this.inside.get(`${id} ${phase}`) || [];
    const calls = openCalls(index, active.node);
    const node = index.byId.get(active.node);
    const folded = Boolean(node?.function) && !index.groups[active.node]; // a folded call: its call line
    let rows = direct(active.node, active.kind);
    if (calls.length) rows = inside(active.node, folded ? `call_${active.kind}` : active.kind);
    rows.forEach((r) => current.add(r));
    for (const g of calls) [...direct(g, active.kind), ...inside(g, `call_${active.kind}`)].forEach((r) => around.add(r));
    return { current, around };
  }

  /** Clicking a gate: scroll to its lines and mark them for a moment. */
  reveal(id) {
    const rows = [...this.body.querySelectorAll(`[data-code-node="${CSS.escape(id)}"]`)];
    for (const r of this.body.querySelectorAll('[data-code-selected]')) r.removeAttribute('data-code-selected');
    rows.forEach((r) => r.setAttribute('data-code-selected', ''));
    rows[0]?.scrollIntoView({ block: 'center' });
  }
}

/** The forward-pass step kind a line's phase belongs to (an input's literal is forward too). */
function phaseOf(phase) {
  return phase === 'backward' ? 'backward' : 'forward';
}

/** Gate id -> its number in forward order, as the notes number the stages (1)…(8). */
function gateNumbers(graph) {
  const out = new Map();
  for (const n of graph.nodes) if (n.kind === 'op') out.set(n.id, out.size + 1);
  return out;
}

/** The numbers beside a current line of the active step: a forward line's value, a backward line's
 *  contribution (`current`: all the current lines, in order). */
function lineNumbers(index, row, { node: id, kind }, current) {
  const node = index.byId.get(id);
  if (!node) return '';
  const text = codeOf(row).trim();
  const all = [...current];
  if (kind !== 'backward') return `= ${short(node.value, node.shape)}`;
  if (text.startsWith('# backprop')) return t('code.upstream', { value: short(node.grad, node.shape) });
  const head = all.findIndex((r) => codeOf(r).trim().startsWith('# backprop'));
  if (all.indexOf(row) < head) return `= ${short(node.grad, node.shape)}`; // the seed, before the block
  // "dx = …" / "dx += …" lines come one per input that needs a gradient, in port order.
  const rows = all.slice(head + 1);
  const edges = (index.inEdges.get(node.id) || []).filter((e) => e.contribution !== null && e.contribution !== undefined
    && index.byId.get(e.source).kind !== 'const');
  const e = edges[rows.indexOf(row)];
  return e && rows.length === edges.length ? `→ ${short(e.contribution, index.byId.get(e.source).shape)}` : '';
}

/** A row's code text. */
function codeOf(row) {
  return row.querySelector('code').textContent;
}

/** A number, or a tensor's shape. */
function short(v, shape) {
  return isTensorShape(shape) ? `[${formatShape(shape)}]` : formatNumber(v);
}
