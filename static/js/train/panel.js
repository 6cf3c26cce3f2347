// The Train panel: choose parameters, learning rate and steps, train in chunks (stoppable), watch the
// loss curve and the circuit's numbers, see one SGD step spelled out, and the path over the contours.
import { post as postJson } from '../api.js';
import { inputValues } from '../graph-state.js';
import { formatNumber, toNumber } from '../format.js';
import { drawContour, drawLoss, showStep } from './draw.js';
import { initSpecs, train } from './session.js';
import { rangeAround, squareRanges } from './contour.js';
import { errorText, onLang, t } from '../i18n.js';
import { say, translateDom } from '../i18n-dom.js';

const TEMPLATE = `
  <div class="panel-head"><h2 data-i18n="train.title">Train</h2><span class="train-status" data-role="status"></span></div>
  <div class="train-params" data-role="params" aria-label="Parameters to train" data-i18n-aria-label="train.params"></div>
  <div class="train-grid">
    <label><span data-i18n="train.lr">learning rate</span> <input data-role="lr" type="number" value="0.1" step="any" min="0"></label>
    <label><span data-i18n="train.steps">steps</span> <input data-role="steps" type="number" value="100" min="1" max="100000" step="1"></label>
    <label><span data-i18n="train.optimizer">optimizer</span> <select data-role="optimizer">
      <option value="sgd">SGD</option><option value="momentum" data-i18n="train.momentum">momentum</option><option value="adam">Adam</option>
    </select></label>
    <label><span data-i18n="train.batch">batch</span> <input data-role="batch" type="number" min="1" step="1" placeholder="all rows" data-i18n-placeholder="train.all_rows"></label>
    <label><span data-i18n="train.seed">seed</span> <input data-role="seed" type="number" value="0" min="0" step="1"></label>
    <label class="train-check" title="Start tensor parameters from seeded random values (biases at 0)" data-i18n-title="train.random_title">
      <input data-role="init" type="checkbox"> <span data-i18n="train.random">random start</span></label>
  </div>
  <div class="train-buttons">
    <button data-role="run" class="primary" data-i18n="train.run">Train</button>
    <button data-role="stop" disabled data-i18n="train.stop">Stop</button>
    <button data-role="step" title="One plain gradient step: after = before − lr × gradient" data-i18n-title="train.step_title" data-i18n="train.step">One SGD step</button>
    <button data-role="reset" disabled title="Back to the values before training" data-i18n-title="train.reset_title" data-i18n="train.reset">Reset</button>
  </div>
  <svg data-role="loss" class="train-loss" viewBox="0 0 320 150" role="img" aria-label="Loss curve" data-i18n-aria-label="train.loss_curve"></svg>
  <div class="train-onestep" data-role="onestep" hidden></div>
  <div class="train-contour-head" data-role="contour-head" hidden>
    <span data-i18n="train.contour_head">path over the loss's contours:</span> <select data-role="cx" aria-label="horizontal axis" data-i18n-aria-label="train.x_axis"></select> × <select data-role="cy" aria-label="vertical axis" data-i18n-aria-label="train.y_axis"></select>
  </div>
  <svg data-role="contour" class="train-contour" viewBox="0 0 320 320" role="img" aria-label="Loss contours" data-i18n-aria-label="train.contours" hidden></svg>
  <div class="train-contour-note" data-role="contour-note" hidden data-i18n="train.contour_note">grey arrows: the negative gradient, the steepest
    way down (across the contours); red: the path of the parameters from ○ to ●</div>`;

/** Mounts the Train panel into element; app is the page's app object (getGraph, evaluate, onGraph).
 *  options.stylesheet false: the caller brings train.css. */
export function mountTrain(app, element, { stylesheet = true } = {}) {
  if (stylesheet) ensureStylesheet(); // the notebook bundle brings train.css itself
  const panel = new TrainPanel(app, element);
  return {
    start: () => panel.start(), stop: () => panel.stop(), oneStep: () => panel.oneStep(), reset: () => panel.reset(),
    preset: (train) => panel.preset(train), element,
  };
}

/** The panel's state and actions; el holds its controls by data-role. */
class TrainPanel {
  constructor(app, element) {
    element.classList.add('panel', 'train-panel');
    element.innerHTML = TEMPLATE;
    translateDom(element);
    onLang(() => this.relabel());
    this.app = app;
    this.element = element;
    this.el = Object.fromEntries([...element.querySelectorAll('[data-role]')].map((e) => [e.dataset.role, e]));
    Object.assign(this, { key: null, seq: 0, running: false, stopping: false, abort: null, run: null, before: null });
    app.onGraph((graph) => this.refresh(graph));
    if (app.getGraph()) this.refresh(app.getGraph());
    const on = (role, event, fn) => this.el[role].addEventListener(event, fn);
    on('run', 'click', () => this.start());
    on('stop', 'click', () => this.stop());
    on('step', 'click', () => this.oneStep());
    on('reset', 'click', () => this.reset());
    on('cx', 'change', () => this.contour());
    on('cy', 'change', () => this.contour());
  }

  /** New program structure: list its inputs, ticking the server's default parameters. */
  async refresh(graph) {
    const names = Object.keys(graph.inputs || {});
    const key = `${this.app.getProgram().expression}\n${names.join(',')}`;
    if (key === this.key) return;
    this.key = key;
    this.clear();
    const my = ++this.seq;
    const defaults = await this.defaults(graph, names);
    if (my !== this.seq) return; // a newer program replaced this one while the request ran
    const ticked = this.wanted?.filter((n) => names.includes(n)) || defaults.params;
    this.wanted = null;
    this.el.params.replaceChildren(...names.map((n) => paramBox(n, ticked.includes(n), shapeOf(graph, n))));
    this.setStatus(names.length ? '' : 'train.no_inputs');
  }

  /** An example's settings ({lr, steps, optimizer, params}): filled in now, params ticked next refresh. */
  preset(train) {
    if (!train) return;
    Object.assign(this.el.lr, { value: String(train.lr) });
    Object.assign(this.el.steps, { value: String(train.steps) });
    this.el.optimizer.value = train.optimizer || 'sgd';
    this.wanted = train.params || null;
    this.key = null; // the next graph refreshes the parameters even if the program is the same
  }

  /** A new program: the last run's table, curve and contours belong to the old one. */
  clear() {
    Object.assign(this, { run: null, before: null });
    this.el.onestep.hidden = true;
    this.el.onestep.replaceChildren();
    this.el.loss.replaceChildren();
    this.el.reset.disabled = true;
    this.el['contour-head'].hidden = true;
    this.showContour(false);
    delete this.element.dataset.trained;
  }

  /** The server's choice of parameters (data inputs left out), or every input when it cannot say. */
  async defaults(graph, names) {
    const base = baseRequest(this.app, graph);
    // Only ask when the request is valid (non-finite values cannot be sent): no failed fetches.
    if (!names.length || /"(NaN|-?Infinity)"/.test(JSON.stringify(base.values))) return { params: names };
    try {
      return await post({ ...base, steps: 0 });
    } catch {
      return { params: names }; // the editor shows the program's error; every input stays a candidate
    }
  }

  /** The settings in the form, as POST /api/optimize fields. */
  settings() {
    const { el, app } = this;
    const params = [...el.params.querySelectorAll('input:checked')].map((b) => b.value);
    const req = {
      ...baseRequest(app), params, lr: Number(el.lr.value), steps: Math.max(1, Math.round(Number(el.steps.value) || 1)),
      optimizer: el.optimizer.value, seed: Math.max(0, Math.round(Number(el.seed.value) || 0)),
    };
    if (el.batch.value) req.batch_size = Math.max(1, Math.round(Number(el.batch.value)));
    if (el.init.checked) req.init = initSpecs(Object.fromEntries(params.map((p) => [p, shapeOf(app.getGraph(), p)])), params);
    return req;
  }

  /** Trains in chunks; the circuit and the plots update after each one. */
  async start() {
    if (this.running || !this.app.getGraph()) return;
    const req = this.settings();
    if (!req.params.length) return this.setStatus('train.tick');
    this.before = this.snapshot(req.params);
    this.run = null;
    this.setRunning(true);
    try {
      const hooks = { post: (body) => post(body, this.abort.signal), onChunk: (r) => this.shown(r, req), shouldStop: () => this.stopping };
      this.finished(await train(req, hooks), req);
    } catch (err) {
      if (err.name === 'AbortError') this.finished(this.run, req, 'stopped');
      else this.setStatus('train.error', { message: () => errorText(err) });
    } finally {
      this.setRunning(false);
    }
  }

  /** After each chunk: loss curve, status, the circuit's numbers. */
  async shown(run, req) {
    this.run = run;
    drawLoss(this.el.loss, run.losses);
    this.setStatus('train.progress', { step: run.steps, steps: req.steps, loss: formatNumber(run.losses.at(-1)) });
    await this.app.evaluate(pick(run.values, req.params));
  }

  /** Final status and the contour plot. */
  finished(run, req, why = run?.stopped) {
    if (!run) return this.setStatus('train.stopped_first');
    const loss = formatNumber(run.finalLoss ?? run.losses.at(-1));
    const key = why === 'diverged' ? 'train.diverged' : why === 'stopped' ? 'train.stopped' : run.cut ? 'train.done_cut' : 'train.done';
    this.setStatus(key, { step: run.steps, steps: run.steps, loss });
    this.element.dataset.trained = String(run.steps);
    this.fillContourChoices(run);
    this.contour();
  }

  /** Stops after the running request (which is aborted too). */
  stop() {
    this.stopping = true;
    this.abort?.abort();
  }

  /** One plain gradient step with the update rule spelled out per parameter. */
  async oneStep() {
    if (this.running) return;
    const req = { ...this.settings(), steps: 1, optimizer: 'sgd' };
    delete req.batch_size;
    delete req.init; // a step continues from the values on the circuit
    if (!req.params.length) return this.setStatus('train.tick');
    this.before ||= this.snapshot(req.params);
    try {
      const res = await post(req);
      this.step = [res.last_step, req.lr];
      showStep(this.el.onestep, ...this.step);
      this.el.reset.disabled = false;
      await this.app.evaluate(pick(res.values, req.params));
      this.setStatus('train.one_step', { before: formatNumber(res.losses[0]), after: formatNumber(res.final_loss) });
    } catch (err) {
      this.setStatus('train.error', { message: () => errorText(err) });
    }
  }

  /** Puts back the values from before training. */
  async reset() {
    if (!this.before || this.running) return;
    await this.app.evaluate(this.before);
    this.before = null;
    this.el.reset.disabled = true;
    this.setStatus('train.values_reset');
  }

  /** Offers the scalar parameters of the last run's trajectory for the contour plot's axes. */
  fillContourChoices(run) {
    const scalars = Object.entries(run.trajectory.values).filter(([, v]) => !Array.isArray(v[0])).map(([n]) => n);
    const fill = (sel, pickIndex) => {
      const keep = sel.value;
      sel.replaceChildren(...scalars.map((n) => new Option(n, n)));
      sel.value = scalars.includes(keep) ? keep : scalars[pickIndex] ?? '';
    };
    fill(this.el.cx, 0);
    fill(this.el.cy, 1);
    this.el['contour-head'].hidden = scalars.length < 2;
  }

  /** Loss over a grid around the path of the two chosen parameters, drawn with the path on it. */
  async contour() {
    const { run, el } = this;
    const [x, y] = [el.cx.value, el.cy.value];
    if (!run || !x || !y || x === y) return this.showContour(false);
    const px = run.trajectory.values[x].map(toNumber);
    const py = run.trajectory.values[y].map(toNumber);
    const [xrange, yrange] = squareRanges(rangeAround(px), rangeAround(py));
    try {
      const res = await post({ ...baseRequest(this.app), params: [x, y], steps: 0, landscape: { x, y, xrange, yrange, n: 41 } });
      if (!res.landscape) return this.setStatus('train.contour_budget');
      this.showContour(true);
      drawContour(el.contour, res.landscape, px, py);
    } catch (err) {
      this.setStatus('train.contour_error', { message: () => errorText(err) });
    }
  }

  showContour(on) {
    this.el.contour.toggleAttribute('hidden', !on); // an SVG element has no .hidden property
    this.el['contour-note'].hidden = !on;
  }

  /** Current values of the parameters (to reset to). */
  snapshot(params) {
    return pick(baseRequest(this.app).values, params);
  }

  /** Buttons and flags for a run starting (on) or ending. */
  setRunning(on) {
    const { el } = this;
    this.running = on;
    this.stopping = false;
    this.abort = on ? new AbortController() : null;
    el.run.disabled = on;
    el.step.disabled = on;
    el.stop.disabled = !on;
    el.reset.disabled = on || !this.before;
    this.element.dataset.running = String(on);
  }

  /** After a switch of language: the SGD step's table (the form's labels are marked, the status said). */
  relabel() {
    if (this.step && !this.el.onestep.hidden) showStep(this.el.onestep, ...this.step);
  }

  /** The status line from the catalog ('' clears it); a switch of language writes it again (a param
   *  given as a function, such as an error's text from its code, is written again too). */
  setStatus(key, params = {}) {
    const now = () => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'function' ? v() : v]));
    say(this.el.status, 'text', () => (key ? t(key, now()) : ''));
  }
}

/** The request fields shared by every call: the program and the current value of every input. */
function baseRequest(app, graph = app.getGraph()) {
  return { expression: app.getProgram().expression, values: inputValues(graph) };
}

/** A checkbox for one input; data inputs start unticked. */
function paramBox(name, checked, shape) {
  const label = document.createElement('label');
  label.className = 'train-param';
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: name, checked });
  say(label, 'title', () => `${name}: ${shape.length ? shape.join('×') : t('shape.scalar')}`);
  label.append(box, ` ${name}`);
  return label;
}

/** The shape of an input of the graph. */
function shapeOf(graph, name) {
  const id = graph.inputs[name];
  return graph.nodes.find((n) => n.id === id)?.shape || [];
}

/** The entries of obj whose keys are in names. */
function pick(obj, names) {
  return Object.fromEntries(names.filter((n) => n in obj).map((n) => [n, obj[n]]));
}

/** POST /api/optimize. */
function post(body, signal) {
  return postJson('/api/optimize', body, signal);
}

/** Adds train.css to the page once (so index.html needs no extra line). */
function ensureStylesheet() {
  if (document.querySelector('link[href$="/css/train.css"]')) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/static/css/train.css' }));
}
