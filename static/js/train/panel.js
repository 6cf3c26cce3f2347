// The Train panel: choose parameters, learning rate and steps, train in chunks (stoppable), watch the
// loss curve and the circuit's numbers, see one SGD step spelled out, and the path over the contours.
import { ApiError } from '../api.js';
import { download } from '../exporter.js';
import { flatten, formatNumber, toNumber } from '../format.js';
import { drawContour, drawLoss } from './draw.js';
import { initSpecs, train } from './session.js';
import { rangeAround, squareRanges } from './contour.js';

const TEMPLATE = `
  <div class="panel-head"><h2>Train</h2><span class="train-status" data-role="status"></span></div>
  <div class="train-params" data-role="params" aria-label="Parameters to train"></div>
  <div class="train-grid">
    <label>learning rate <input data-role="lr" type="number" value="0.1" step="any" min="0"></label>
    <label>steps <input data-role="steps" type="number" value="100" min="1" max="100000" step="1"></label>
    <label>optimizer <select data-role="optimizer">
      <option value="sgd">SGD</option><option value="momentum">momentum</option><option value="adam">Adam</option>
    </select></label>
    <label>batch <input data-role="batch" type="number" min="1" step="1" placeholder="all rows"></label>
    <label>seed <input data-role="seed" type="number" value="0" min="0" step="1"></label>
    <label class="train-check" title="Start tensor parameters from seeded random values (biases at 0)">
      <input data-role="init" type="checkbox"> random start</label>
  </div>
  <div class="train-buttons">
    <button data-role="run" class="primary">Train</button>
    <button data-role="stop" disabled>Stop</button>
    <button data-role="step" title="One plain gradient step: after = before − lr × gradient">One SGD step</button>
    <button data-role="reset" disabled title="Back to the values before training">Reset</button>
  </div>
  <svg data-role="loss" class="train-loss" viewBox="0 0 320 150" role="img" aria-label="Loss curve"></svg>
  <div class="train-onestep" data-role="onestep" hidden></div>
  <div class="train-contour-head" data-role="contour-head" hidden>
    path over the loss's contours: <select data-role="cx"></select> × <select data-role="cy"></select>
  </div>
  <svg data-role="contour" class="train-contour" viewBox="0 0 320 320" role="img" aria-label="Loss contours" hidden></svg>
  <div class="train-contour-note" data-role="contour-note" hidden>grey arrows: the negative gradient, the steepest
    way down (across the contours); red: the path of the parameters from ○ to ●</div>`;

/** Mounts the Train panel into element; app is the page's app object (getGraph, evaluate, onGraph). */
export function mountTrain(app, element) {
  ensureStylesheet();
  element.classList.add('panel', 'train-panel');
  element.innerHTML = TEMPLATE;
  const el = Object.fromEntries([...element.querySelectorAll('[data-role]')].map((e) => [e.dataset.role, e]));
  const st = { key: null, running: false, stop: false, abort: null, run: null, before: null, dataNames: new Set() };

  app.onGraph((graph) => refresh(graph));
  if (app.getGraph()) refresh(app.getGraph());
  el.run.addEventListener('click', () => start());
  el.stop.addEventListener('click', () => stop());
  el.step.addEventListener('click', () => oneStep());
  el.reset.addEventListener('click', () => reset());
  el.cx.addEventListener('change', () => contour());
  el.cy.addEventListener('change', () => contour());
  wireExport(app);

  /** New program structure: list its inputs, ticking the server's default parameters. */
  async function refresh(graph) {
    const names = Object.keys(graph.inputs || {});
    const key = `${app.getProgram().expression}\n${names.join(',')}`;
    if (key === st.key) return;
    st.key = key;
    const my = (st.seq = (st.seq || 0) + 1);
    let defaults = { params: names, data: [] };
    const base = baseRequest(graph);
    // Only ask when the request is valid (non-finite values cannot be sent): no failed fetches.
    if (names.length && !/"(NaN|-?Infinity)"/.test(JSON.stringify(base.values))) {
      try {
        defaults = await post({ ...base, steps: 0 });
      } catch {
        // The editor shows the program's error; every input stays a candidate.
      }
    }
    if (my !== st.seq) return; // a newer program replaced this one while the request ran
    st.dataNames = new Set(defaults.data);
    el.params.replaceChildren(...names.map((n) => paramBox(n, defaults.params.includes(n), shapeOf(graph, n))));
    setStatus(names.length ? '' : 'no inputs to train');
  }

  /** The request fields shared by every call: program, current values of every input. */
  function baseRequest(graph = app.getGraph()) {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const values = Object.fromEntries(Object.entries(graph.inputs).map(([n, id]) => [n, byId.get(id).value]));
    return { expression: app.getProgram().expression, values };
  }

  /** The settings in the form, as POST /api/optimize fields. */
  function settings() {
    const params = [...el.params.querySelectorAll('input:checked')].map((b) => b.value);
    const req = {
      ...baseRequest(), params, lr: Number(el.lr.value), steps: Math.max(1, Math.round(Number(el.steps.value) || 1)),
      optimizer: el.optimizer.value, seed: Math.max(0, Math.round(Number(el.seed.value) || 0)),
    };
    if (el.batch.value) req.batch_size = Math.max(1, Math.round(Number(el.batch.value)));
    if (el.init.checked) req.init = initSpecs(Object.fromEntries(params.map((p) => [p, shapeOf(app.getGraph(), p)])), params);
    return req;
  }

  /** Trains in chunks; the circuit and the plots update after each one. */
  async function start() {
    if (st.running || !app.getGraph()) return;
    const req = settings();
    if (!req.params.length) return setStatus('tick at least one parameter');
    st.before = snapshot(req.params);
    st.run = null;
    setRunning(true);
    try {
      const run = await train(req, { post: (body) => post(body, st.abort.signal), onChunk: (r) => shown(r, req), shouldStop: () => st.stop });
      finished(run, req);
    } catch (err) {
      if (err.name === 'AbortError') finished(st.run, req, 'stopped');
      else setStatus(`error: ${err.message}`);
    } finally {
      setRunning(false);
    }
  }

  /** After each chunk: loss curve, status, the circuit's numbers. */
  async function shown(run, req) {
    st.run = run;
    drawLoss(el.loss, run.losses);
    setStatus(`step ${run.steps}/${req.steps} · loss ${formatNumber(run.losses.at(-1))}`);
    await app.evaluate(pick(run.values, req.params));
  }

  /** Final status and the contour plot. */
  function finished(run, req, why = run?.stopped) {
    if (!run) return setStatus('stopped before the first step');
    const loss = formatNumber(run.finalLoss ?? run.losses.at(-1));
    const text = why === 'diverged' ? `diverged at step ${run.steps}: lower the learning rate`
      : why === 'stopped' ? `stopped at step ${run.steps} · loss ${loss}`
        : `done: ${run.steps} steps · loss ${loss}${run.cut ? ' (the server\'s time budget cut some requests short)' : ''}`;
    setStatus(text);
    element.dataset.trained = String(run.steps);
    fillContourChoices(run);
    contour();
  }

  /** Stops after the running request (which is aborted too). */
  function stop() {
    st.stop = true;
    st.abort?.abort();
  }

  /** One plain gradient step with the update rule spelled out per parameter. */
  async function oneStep() {
    if (st.running) return;
    const req = { ...settings(), steps: 1, optimizer: 'sgd' };
    delete req.batch_size;
    delete req.init; // a step continues from the values on the circuit
    if (!req.params.length) return setStatus('tick at least one parameter');
    st.before ||= snapshot(req.params);
    try {
      const res = await post(req);
      showStep(el.onestep, res.last_step, req.lr);
      el.reset.disabled = false;
      await app.evaluate(pick(res.values, req.params));
      setStatus(`one SGD step · loss ${formatNumber(res.losses[0])} → ${formatNumber(res.final_loss)}`);
    } catch (err) {
      setStatus(`error: ${err.message}`);
    }
  }

  /** Puts back the values from before training. */
  async function reset() {
    if (!st.before || st.running) return;
    await app.evaluate(st.before);
    st.before = null;
    el.reset.disabled = true;
    setStatus('values reset');
  }

  /** Offers the scalar parameters of the last run's trajectory for the contour plot's axes. */
  function fillContourChoices(run) {
    const scalars = Object.entries(run.trajectory.values).filter(([, v]) => !Array.isArray(v[0])).map(([n]) => n);
    const fill = (sel, pickIndex) => {
      const keep = sel.value;
      sel.replaceChildren(...scalars.map((n) => new Option(n, n)));
      sel.value = scalars.includes(keep) ? keep : scalars[pickIndex] ?? '';
    };
    fill(el.cx, 0);
    fill(el.cy, 1);
    el['contour-head'].hidden = scalars.length < 2;
  }

  /** Loss over a grid around the path of the two chosen parameters, drawn with the path on it. */
  async function contour() {
    const run = st.run;
    const [x, y] = [el.cx.value, el.cy.value];
    if (!run || !x || !y || x === y) {
      el.contour.toggleAttribute('hidden', true);
      el['contour-note'].hidden = true;
      return;
    }
    const px = run.trajectory.values[x].map(toNumber);
    const py = run.trajectory.values[y].map(toNumber);
    const [xrange, yrange] = squareRanges(rangeAround(px), rangeAround(py));
    try {
      const res = await post({ ...baseRequest(), params: [x, y], steps: 0, landscape: { x, y, xrange, yrange, n: 41 } });
      if (!res.landscape) return setStatus('contour: the time budget ran out while sampling the loss');
      el.contour.toggleAttribute('hidden', false); // an SVG element has no .hidden property
      el['contour-note'].hidden = false;
      drawContour(el.contour, res.landscape, px, py);
    } catch (err) {
      setStatus(`contour: ${err.message}`);
    }
  }

  /** Current values of the parameters (to reset to). */
  function snapshot(params) {
    return pick(baseRequest().values, params);
  }

  function setRunning(on) {
    st.running = on;
    st.stop = false;
    st.abort = on ? new AbortController() : null;
    el.run.disabled = on;
    el.step.disabled = on;
    el.stop.disabled = !on;
    el.reset.disabled = on || !st.before;
    element.dataset.running = String(on);
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  return { start, stop, oneStep, reset, element };
}

/** A checkbox for one input; data inputs start unticked. */
function paramBox(name, checked, shape) {
  const label = document.createElement('label');
  label.className = 'train-param';
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: name, checked });
  label.title = shape.length ? `${name}: ${shape.join('×')}` : `${name}: scalar`;
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

/** The last step as a table: before, gradient, after = before − lr × gradient. */
function showStep(box, step, lr) {
  const short = (v) => {
    const flat = flatten(v);
    const head = flat.slice(0, 2).map((x) => formatNumber(x, 3)).join(', ');
    return Array.isArray(v) ? `[${head}${flat.length > 2 ? ', …' : ''}]` : head;
  };
  const rows = Object.entries(step || {}).map(([n, s]) =>
    `<tr data-param="${n}"><th>${n}</th><td class="before">${short(s.before)}</td>` +
    `<td class="grad">${s.grad === null ? '0' : short(s.grad)}</td><td class="after">${short(s.after)}</td></tr>`);
  box.innerHTML = `<div class="rule">after = before − ${formatNumber(lr)} × gradient</div>` +
    `<table><thead><tr><th></th><th>before</th><th>gradient</th><th>after</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  box.hidden = false;
}

/** POST /api/optimize (or another path) with the page's error type. */
async function post(body, signal, path = '/api/optimize') {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(data?.detail && typeof data.detail === 'object' && !Array.isArray(data.detail) ? data.detail : { message: `HTTP ${res.status}` }, res.status);
  return data;
}

/** The toolbar's "Export as Python": the staged forward and backward code of the current program. */
function wireExport(app) {
  const button = document.querySelector('#export-python');
  if (!button || button.dataset.wired) return;
  button.dataset.wired = '1';
  button.hidden = false;
  button.addEventListener('click', async () => {
    const graph = app.getGraph();
    if (!graph) return;
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const values = Object.fromEntries(Object.entries(graph.inputs).map(([n, id]) => [n, byId.get(id).value]));
    const { expand } = app.getProgram();
    const res = await post({ expression: app.getProgram().expression, values, expand: expand ?? false }, undefined, '/api/codegen');
    download(res.filename || 'gatewise_backprop.py', res.code, 'text/x-python');
  });
}

/** Adds train.css to the page once (so index.html needs no extra line). */
function ensureStylesheet() {
  if (document.querySelector('link[href$="/css/train.css"]')) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/static/css/train.css' }));
}
