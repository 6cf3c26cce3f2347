// The app's core: evaluates the program, lays out and draws the circuit, and drives the animation.
// Other panels (e.g. the Train panel) use the exported object: getGraph(), evaluate(), onGraph().
import { ApiError, fetchGraph } from './api.js';
import { indexGraph, nodeTitle, scalarInputs, structureKey } from './graph-state.js';
import { buildRowGraphsSliced, readRows } from './layout.js';
import { layoutRows } from './layout-client.js';
import { activeStep, buildSchedule, describeStep, statesAt } from './schedule.js';
import { busyIndicator, typingDelay } from './busy.js';
import { encodeLink } from './share.js';
import { t } from './i18n.js';
import { graphNote } from './notes.js';
import { inputNames, pickValues, planValues, retyped, sameNames } from './values.js';
import { scriptingApi } from './app-api.js';
import { createSlicer } from './slices.js';

// Names used but never assigned start at this value, with a slider (Help says the same).
export const FREE_VALUE = 1;
// A circuit this big is laid out in pieces of main-thread work of about PIECE_MS each (building its
// rows, keying them, the copy to the worker, reading the answer back): the page answers in between.
const SLICED_NODES = 150;
const PIECE_MS = 12;

/** Creates the app around the views ({editor, renderer, viewport, controls, inputs, explainer, ...}).
 *  Optional views.root (default document.body) carries data-status and data-evals; views.keepHash
 *  false leaves the URL alone (a notebook's address is not the circuit's). */
export function createApp(views) {
  return new App(views);
}

/** The page's state and its one data flow: program -> API graph -> layout -> drawing -> animation. */
class App {
  constructor(views) {
    this.views = views;
    this.values = {}; // every value the user set (sliders, examples, links, training), by name
    this.known = null; // the input names of the last graph (null: send every remembered value)
    this.drawn = null; // the last drawn {graph, text}: where each input is, for the next edit
    this.expanded = []; // expanded composite ids, or true for all
    this.folded = []; // calls of user functions the user folded (others fold by the answer's default)
    Object.assign(this, { graph: null, index: null, schedule: null, model: null, layoutKey: null, link: null });
    Object.assign(this, { selected: null, hovered: null, active: null, states: null, seq: 0, evals: 0, keep: null });
    Object.assign(this, { shownSeq: 0, inFlight: 0, aborter: null, busy: busyIndicator(views) });
    this.listeners = new Set();
    this.stepListeners = new Set();
  }

  /** Evaluates the editor's program (merging `values` into the remembered ones); keeps the last
   *  circuit on errors. Sends only the values of the program's inputs (see values.js). A quick
   *  evaluation (scrubbing) may land after a newer one started: its numbers still show if they are
   *  newer than those shown and the structure is the same. */
  async evaluate(values, quick = false) {
    if (values) this.values = { ...this.values, ...values };
    const my = ++this.seq;
    const started = performance.now();
    const expression = this.views.editor.value;
    if (!quick) this.aborter?.abort(); // nobody will see that answer
    const signal = quick ? undefined : (this.aborter = new AbortController()).signal;
    setStatus(this.views, 'busy');
    this.busy.start(my);
    const stale = () => my !== this.seq && !(quick && my > this.shownSeq);
    const plan = planValues(this.drawn, this.values, expression);
    let sent = plan.first;
    let graph = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        graph = await fetchGraph({ expression, values: sent, expand: this.expanded, fold: this.folded, free: FREE_VALUE }, signal);
      } catch (err) {
        if (stale()) return null;
        if (attempt === 0 && plan.fallback) {
          sent = plan.fallback; // an input moved in the text: try with every value of the last circuit
          continue;
        }
        this.busy.stop(my);
        this.fail(err);
        return null;
      }
      if (stale()) return null; // a newer evaluation superseded this one
      for (const name of retyped(this.drawn, graph, expression)) delete this.values[name];
      const want = pickValues(this.values, inputNames(graph));
      if (sameNames(want, sent)) break;
      sent = want; // the program's inputs differ from what was sent: send exactly theirs
    }
    performance.mark('gw:response');
    const shown = await this.show(graph, my, expression);
    if (shown && !quick) this.cost = performance.now() - started;
    return shown;
  }

  /** How long the editor waits after a keystroke (see busy.js). */
  typingDelay() {
    return typingDelay(this.cost);
  }

  /** Live input scrubbing: two requests in flight at most (one computes while the other travels),
   *  then one more with the latest values. */
  async scrub(values) {
    this.values = { ...this.values, ...values };
    if (this.inFlight >= 2) {
      this.scrubAgain = true;
      return;
    }
    this.inFlight += 1;
    try {
      await this.evaluate(undefined, true);
    } finally {
      this.inFlight -= 1;
    }
    if (this.scrubAgain) {
      this.scrubAgain = false;
      await this.scrub({});
    }
  }

  /** Lays out (only if the structure changed) and draws a graph, then ends the animation. */
  async show(graph, my, text) {
    const index = indexGraph(graph);
    const key = structureKey(graph);
    const schedule = buildSchedule(graph);
    if (key !== this.layoutKey) {
      if (my !== this.seq) return null; // only the newest evaluation lays out
      if (!(await this.relayout(graph, index, statesAt(schedule, schedule.length), my))) return null;
      this.layoutKey = key;
    } else {
      this.views.renderer.updateNumbers(index);
    }
    this.shownSeq = my;
    if (my === this.seq) this.busy.stop(my);
    Object.assign(this, { graph, index, schedule, known: inputNames(graph), drawn: { graph, text } });
    this.finish(graph, my === this.seq);
    return graph;
  }

  /** Lays the graph out in the worker and draws it; false if it failed or was superseded. */
  async relayout(graph, index, states, my) {
    const alive = () => my === this.seq;
    const big = index.graph.nodes.length > SLICED_NODES;
    const slicer = createSlicer({ budget: big ? PIECE_MS : null, alive });
    // The answer was read and indexed in this task: the layout's work starts in a piece of its own.
    if (big && !(await slicer.pause())) return false;
    let result;
    try {
      const rows = await buildRowGraphsSliced(index, slicer);
      if (!rows) return false;
      result = { plan: rows.plan, results: await layoutRows(rows.graphs, slicer) };
    } catch (err) {
      if (my === this.seq && err.name !== 'AbortError') {
        this.busy.stop(my);
        this.fail(new Error(t('error.layout', { message: err.message })));
      }
      return false;
    }
    if (!alive() || !(await slicer.step())) return false;
    performance.mark('gw:layout');
    this.model = { ...readRows(result.results), plan: result.plan };
    this.layoutKey = null; // until the drawing completes, the next result must lay out again
    if (!(await this.views.renderer.draw(index, this.model, states, alive, () => this.frame(index)))) return false;
    if (big && !(await slicer.pause())) return false; // the panels' bookkeeping is a task of its own
    performance.mark('gw:dom');
    this.views.renderer.setBadges(new Map());
    return true;
  }

  /** The first view of a new drawing; after an expand or fold, the view stays on that gate. */
  frame(index) {
    const { model, keep } = this;
    const box = keep && (model.groups[keep.id] || model.nodes[keep.id]);
    this.keep = null;
    if (box) return this.views.viewport.keep(box, keep.at);
    const inputs = Object.values(index.graph.inputs || {}).map((id) => model.nodes[id]).filter(Boolean);
    const first = { gates: index.graph.nodes.length, inputs };
    this.views.viewport.show({ width: model.width, height: model.height }, first);
  }

  /** Post-draw bookkeeping: animation at its end, panels, URL hash, listeners. An answer superseded
   *  while it travelled (scrubbing) draws its numbers but leaves the sliders at the user's newer
   *  values, and the status busy: the newest evaluation is still on its way. */
  finish(graph, newest = true) {
    const { views } = this;
    views.editor.clearError();
    if (this.selected && !this.index.byId.has(this.selected)) this.selected = null;
    views.controls.setLength(this.schedule.length, this.schedule.length);
    if (newest) views.inputs.update(scalarInputs(this.index));
    views.note.textContent = graphNote(graph);
    views.note.hidden = !graph.note; // e.g. a tensor output: the gradient is seeded with ones
    views.gates?.update(this.index, this.model, this.selected);
    // The link carries the program's own values only, and none too big for a URL.
    this.link = encodeLink({ expression: views.editor.value, values: pickValues(this.values, this.known), expand: this.expanded, fold: this.folded });
    const { hash } = this.link;
    // Slow for long programs, and browsers throttle it: while scrubbing, only the last one is made.
    clearTimeout(this.hashTimer);
    if (views.keepHash !== false) this.hashTimer = setTimeout(() => history.replaceState(null, '', hash), this.inFlight > 1 || this.scrubAgain ? 300 : 0);
    this.evals += 1;
    (views.root || document.body).dataset.evals = String(this.evals);
    if (newest) setStatus(views, 'ready');
    performance.mark('gw:drawn');
    for (const cb of this.listeners) cb(graph);
  }

  /** Shows an error under the editor. */
  fail(err) {
    this.views.editor.showError(err instanceof ApiError ? err : { message: err.message || String(err) });
    setStatus(this.views, 'error');
  }

  /** Moves the animation to `pos`: node states, visible numbers, highlights (none if quiet), explainer. */
  seek(pos, quiet = false) {
    if (!this.schedule) return;
    this.states = statesAt(this.schedule, pos);
    this.active = quiet ? null : activeStep(this.schedule, pos);
    this.views.renderer.applyStates(this.states, this.active);
    this.views.status.textContent = describeStep(this.schedule, pos, (id) => this.stepTitle(id));
    this.refreshPanels();
    for (const cb of this.stepListeners) cb(pos, this.active);
  }

  /** How a step names its node in the status line. */
  stepTitle(id) {
    const n = this.index.byId.get(id);
    return n.kind === 'op' ? `${n.label} ${n.name ?? ''}`.trim() : nodeTitle(n);
  }

  /** Re-renders the explainer (hovered, else selected, else the active gate, else the output) and inspector. */
  refreshPanels() {
    const id = this.hovered || this.selected || this.active?.node || (this.index ? this.graph.output : null);
    this.views.explainer.show(this.index, id, (x) => this.states?.get(x));
    const open = this.views.inspector.openId;
    if (open && this.index?.byId.has(open)) this.views.inspector.show(this.index.byId.get(open), this.states.get(open));
    else if (open) this.views.inspector.close();
  }

  /** Selects a node (click, Enter): pins the explainer; tensors open the inspector. */
  select(id) {
    this.selected = id;
    this.views.renderer.select(id);
    const node = this.index?.byId.get(id);
    if (node && (node.shape || []).length) this.views.inspector.show(node, this.states?.get(id));
    this.refreshPanels();
  }

  /** Hover shows a gate's explanation without pinning it. */
  hover(id) {
    if (this.hovered === id) return;
    this.hovered = id;
    this.views.renderer.reveal?.(id); // its wires' numbers, even those the zoom's detail left out
    this.refreshPanels();
  }

  /** Expands a composite gate in place; the view stays on it. */
  expand(id) {
    const node = this.index?.byId.get(id);
    if (!node?.composite || this.expanded === true || (this.expanded.includes(id) && !this.folded.includes(id))) return null;
    // A folded call of a user function opens whether it was folded by default or by the user.
    this.folded = this.folded.filter((g) => g !== id);
    if (!this.expanded.includes(id)) this.expanded = [...this.expanded, id];
    this.keepView(id, id);
    this.selected = id;
    return this.evaluate();
  }

  /** Folds an expanded group back into one gate (and any groups nested inside it). */
  fold(groupId) {
    const inner = new Set(this.graph?.groups?.[groupId]?.nodes || []);
    // "Expand all" becomes the explicit list of groups, minus the folded one.
    if (this.expanded === true) this.expanded = Object.keys(this.graph?.groups || {});
    this.expanded = this.expanded.filter((g) => g !== groupId && !inner.has(g));
    // A call of a user function may be open by default: folding it is asked for explicitly.
    if (this.graph?.groups?.[groupId]?.function) this.folded = [...this.folded, groupId];
    this.keepView(groupId, groupId);
    this.selected = groupId;
    return this.evaluate();
  }

  /** Remembers where `from` (a node or group) is on screen, so `to` is drawn there next. */
  keepView(from, to) {
    const box = this.model?.groups[from] || this.model?.nodes[from];
    if (box) this.keep = { id: to, at: this.views.viewport.toScreen({ x: box.x + box.w / 2, y: box.y + box.h / 2 }) };
  }

  /** Sets the program text, values and fold choices (examples, shared links) and evaluates it. */
  setProgram(expression, values = {}, expandIds = [], foldIds = []) {
    this.views.editor.value = expression;
    this.values = { ...values };
    this.known = null; // these values are the program's own: send them all
    this.drawn = null;
    this.expanded = expandIds === true ? true : Array.isArray(expandIds) ? [...expandIds] : [];
    this.folded = Array.isArray(foldIds) ? [...foldIds] : [];
    return this.evaluate();
  }

  /** Called on every edit: expansions are dropped (the gate ids may change). */
  edited() {
    this.expanded = [];
    this.folded = [];
  }
}

Object.assign(App.prototype, scriptingApi);

/** Marks the page state for tests and the benchmark (busy / ready / error). */
function setStatus(views, s) {
  (views.root || document.body).dataset.status = s;
}
