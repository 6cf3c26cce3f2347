// The app's core: evaluates the program, lays out and draws the circuit, and drives the animation.
// Other panels (e.g. the Train panel) use the exported object: getGraph(), evaluate(), onGraph().
import { ApiError, fetchGraph } from './api.js';
import { indexGraph, nodeTitle, scalarInputs, structureKey } from './graph-state.js';
import { buildElkGraph, readLayout } from './layout.js';
import { layoutInWorker } from './layout-client.js';
import { activeStep, buildSchedule, describeStep, statesAt } from './schedule.js';
import { encodeHash } from './share.js';

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
    this.values = {}; // input overrides (sliders, examples, shared links)
    this.expanded = []; // expanded composite ids, or true for all
    Object.assign(this, { graph: null, index: null, schedule: null, model: null, layoutKey: null });
    Object.assign(this, { selected: null, hovered: null, active: null, states: null, seq: 0, evals: 0 });
    this.listeners = new Set();
    this.stepListeners = new Set();
  }

  /** Evaluates the editor's program (merging `values` into the overrides); keeps the last circuit on errors. */
  async evaluate(values) {
    if (values) this.values = { ...this.values, ...values };
    const my = ++this.seq;
    const expression = this.views.editor.value;
    setStatus(this.views, 'busy');
    let graph;
    try {
      graph = await fetchGraph({ expression, values: usedValues(expression, this.values), expand: this.expanded });
    } catch (err) {
      if (my === this.seq) this.fail(err);
      return null;
    }
    if (my !== this.seq) return null; // a newer evaluation superseded this one
    performance.mark('gw:response');
    return this.show(graph, my);
  }

  /** Live input scrubbing: one request in flight at a time, then one more with the latest values. */
  async scrub(values) {
    this.values = { ...this.values, ...values };
    if (this.scrubbing) {
      this.scrubAgain = true;
      return;
    }
    this.scrubbing = true;
    try {
      await this.evaluate();
    } finally {
      this.scrubbing = false;
    }
    if (this.scrubAgain) {
      this.scrubAgain = false;
      await this.scrub({});
    }
  }

  /** Lays out (only if the structure changed) and draws a graph, then ends the animation. */
  async show(graph, my) {
    const index = indexGraph(graph);
    const key = structureKey(graph);
    const schedule = buildSchedule(graph);
    if (key !== this.layoutKey) {
      if (!(await this.relayout(graph, index, statesAt(schedule, schedule.length), my))) return null;
      this.layoutKey = key;
    } else {
      this.views.renderer.updateNumbers(index);
    }
    Object.assign(this, { graph, index, schedule });
    this.finish(graph);
    return graph;
  }

  /** Lays the graph out in the worker and draws it; false if it failed or was superseded. */
  async relayout(graph, index, states, my) {
    let result;
    try {
      result = await layoutInWorker(buildElkGraph(index));
    } catch (err) {
      if (my === this.seq) this.fail(new Error(`Layout failed: ${err.message}`));
      return false;
    }
    if (my !== this.seq) return false;
    performance.mark('gw:layout');
    this.model = readLayout(result);
    this.layoutKey = null; // until the drawing completes, the next result must lay out again
    if (!(await this.views.renderer.draw(index, this.model, states, () => my === this.seq))) return false;
    performance.mark('gw:dom');
    this.views.renderer.setBadges(new Map());
    const out = this.model.nodes[graph.output];
    const focus = out && { x: out.x + out.w / 2, y: out.y + out.h / 2 };
    this.views.viewport.show({ width: this.model.width, height: this.model.height }, focus);
    return true;
  }

  /** Post-draw bookkeeping: animation at its end, panels, URL hash, listeners. */
  finish(graph) {
    const { views } = this;
    views.editor.clearError();
    if (this.selected && !this.index.byId.has(this.selected)) this.selected = null;
    views.controls.setLength(this.schedule.length, this.schedule.length);
    views.inputs.update(scalarInputs(this.index));
    views.note.textContent = graph.note || '';
    views.note.hidden = !graph.note; // e.g. a tensor output: the gradient is seeded with ones
    if (views.keepHash !== false) {
      const hash = encodeHash({ expression: views.editor.value, values: this.values, expand: this.expanded });
      setTimeout(() => history.replaceState(null, '', hash), 0); // slow for long programs: not in this frame
    }
    this.evals += 1;
    (views.root || document.body).dataset.evals = String(this.evals);
    setStatus(views, 'ready');
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

  /** Selects a node (click): pins the explainer; tensors open the inspector. */
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
    this.refreshPanels();
  }

  /** Expands a composite gate in place. */
  expand(id) {
    const node = this.index?.byId.get(id);
    if (!node?.composite || this.expanded === true || this.expanded.includes(id)) return null;
    this.expanded = [...this.expanded, id];
    return this.evaluate();
  }

  /** Folds an expanded group back into one gate (and any groups nested inside it). */
  fold(groupId) {
    const inner = new Set(this.graph?.groups?.[groupId]?.nodes || []);
    // "Expand all" becomes the explicit list of groups, minus the folded one.
    if (this.expanded === true) this.expanded = Object.keys(this.graph?.groups || {});
    this.expanded = this.expanded.filter((g) => g !== groupId && !inner.has(g));
    this.selected = groupId;
    return this.evaluate();
  }

  /** Sets the program text, overrides and expansions (examples, shared links) and evaluates it. */
  setProgram(expression, values = {}, expandIds = []) {
    this.views.editor.value = expression;
    this.values = { ...values };
    this.expanded = expandIds === true ? true : Array.isArray(expandIds) ? [...expandIds] : [];
    return this.evaluate();
  }

  /** Called on every edit: overrides of names the program now assigns, and expansions, are dropped. */
  edited() {
    const text = this.views.editor.value;
    this.values = Object.fromEntries(Object.entries(this.values).filter(([k]) => !assigns(text, k)));
    this.expanded = [];
  }

  /** The last drawn graph (the API's JSON). */
  getGraph() {
    return this.graph;
  }

  /** The indexed graph (see graph-state.js). */
  getIndex() {
    return this.index;
  }

  /** The program as the API sees it: text, overrides, expansions. */
  getProgram() {
    return { expression: this.views.editor.value, values: { ...this.values }, expand: this.expanded };
  }

  /** The current layout model (node boxes, edge polylines, size). */
  getLayout() {
    return this.model;
  }

  /** A node's animation state. */
  getState(id) {
    return this.states?.get(id);
  }

  /** Calls cb(pos, activeStep) after every animation move (teaching views follow it). */
  onStep(cb) {
    this.stepListeners.add(cb);
    return () => this.stepListeners.delete(cb);
  }

  /** The animation schedule ({steps, forwardCount, length}) and its position. */
  getSchedule() {
    return this.schedule;
  }

  /** Moves the animation to step pos, as the player's buttons do. */
  seekTo(pos) {
    this.views.controls.seek(pos);
  }

  /** Calls cb(graph) after every drawn evaluation; returns an unsubscribe function. */
  onGraph(cb) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}

/** Marks the page state for tests and the benchmark (busy / ready / error). */
function setStatus(views, s) {
  (views.root || document.body).dataset.status = s;
}

/** Only send overrides for names the program mentions (the API rejects values for non-inputs). */
function usedValues(text, values) {
  return Object.fromEntries(Object.entries(values).filter(([k]) => new RegExp(`\\b${escapeRe(k)}\\b`).test(text)));
}

/** True when the program assigns the name (`x = ...` at the start of a line). */
function assigns(text, name) {
  return new RegExp(`^\\s*${escapeRe(name)}\\s*=(?!=)`, 'm').test(text);
}

/** Escapes a string for use in a RegExp. */
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
