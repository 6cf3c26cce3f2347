// The model view beside the data: a 2-feature classifier's decision boundary over the plane (from
// POST /api/boundary), redrawn after every evaluation, so it moves while the net trains; for
// regression, predicted against true values.
import { post } from '../api.js';
import { flatten, toNumber } from '../format.js';
import { inputValues } from '../graph-state.js';
import { errorText, t } from '../i18n.js';
import { say, translateDom } from '../i18n-dom.js';

const PALETTE = [[33, 102, 172], [214, 96, 77], [27, 158, 119], [231, 171, 43], [117, 112, 179], [102, 102, 102]];
const GRID = 40;
const SIZE = 280;

/** Mounts the #boundary panel before `before`; features(): the name of the feature input. */
export function mountBoundary(app, { sidebar, before, features = () => 'X' }) {
  const panel = Object.assign(document.createElement('section'), { id: 'boundary', className: 'panel boundary-panel', hidden: true });
  panel.innerHTML = `<div class="panel-head"><h2 data-role="title" data-i18n="boundary.title">Decision boundary</h2><span class="sub" data-role="note"></span></div>
    <canvas width="${SIZE}" height="${SIZE}" aria-label="The model's prediction over the data" data-i18n-aria-label="boundary.canvas"></canvas>`;
  translateDom(panel);
  sidebar.insertBefore(panel, before);
  const view = new ModelView(app, panel, features);
  app.onGraph((g) => view.update(g));
  return view;
}

class ModelView {
  constructor(app, panel, features) {
    Object.assign(this, { app, panel, features, busy: false, again: false, updates: 0 });
    this.canvas = panel.querySelector('canvas');
    this.title = panel.querySelector('[data-role="title"]');
    this.note = panel.querySelector('[data-role="note"]');
  }

  /** Which view fits the graph: "boundary", "regression" or null (then the panel hides). */
  kind(graph) {
    const out = graph.nodes.find((n) => n.id === graph.output);
    if (!out || !['cross_entropy', 'mse'].includes(out.op)) return null;
    const x = graph.nodes.find((n) => n.id === graph.inputs[this.features()]);
    const two = x && (x.shape || []).length === 2 && x.shape[1] === 2;
    const target = graph.nodes.find((n) => n.id === out.inputs[1]);
    const binary = target && flatten(target.value).every((v) => v === 0 || v === 1);
    if (two && (out.op === 'cross_entropy' || binary)) return 'boundary';
    return out.op === 'mse' ? 'regression' : null;
  }

  /** After every evaluation: one request at a time, then one more with the latest values. */
  async update(graph) {
    const kind = this.kind(graph);
    this.panel.hidden = !kind;
    this.panel.dataset.view = kind || '';
    if (!kind) return;
    if (kind === 'regression') return this.drawRegression(graph);
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      await this.drawBoundary(graph);
    } finally {
      this.busy = false;
    }
    if (this.again) {
      this.again = false;
      await this.update(this.app.getGraph());
    }
  }

  async drawBoundary(graph) {
    const name = this.features();
    const X = graph.nodes.find((n) => n.id === graph.inputs[name]).value.map((r) => r.map(toNumber));
    const out = graph.nodes.find((n) => n.id === graph.output);
    const labels = flatten(graph.nodes.find((n) => n.id === out.inputs[1]).value);
    const [xr, yr] = [extent(X.map((r) => r[0])), extent(X.map((r) => r[1]))];
    let res;
    try {
      res = await post('/api/boundary', { expression: this.app.getProgram().expression, values: inputValues(graph), features: name, xrange: xr, yrange: yr, n: GRID });
    } catch (err) {
      say(this.note, 'text', () => errorText(err));
      return;
    }
    this.title.dataset.i18n = 'boundary.title';
    this.title.textContent = t('boundary.title');
    say(this.note, 'text', () => t('boundary.note', { k: res.k }));
    const ctx = this.canvas.getContext('2d');
    paintGrid(ctx, res);
    const px = (v, r) => ((v - r[0]) / (r[1] - r[0])) * SIZE;
    X.forEach((p, i) => dot(ctx, px(p[0], xr), SIZE - px(p[1], yr), PALETTE[labels[i] % PALETTE.length]));
    this.stamp(res.classes.flat().reduce((s, c, i) => (s + (c + 1) * ((i % 97) + 1)) % 1000003, 0));
  }

  /** Predicted against true values, with the diagonal where they agree. */
  drawRegression(graph) {
    const out = graph.nodes.find((n) => n.id === graph.output);
    const pred = flatten(graph.nodes.find((n) => n.id === out.inputs[0]).value);
    const truth = flatten(graph.nodes.find((n) => n.id === out.inputs[1]).value);
    if (pred.length !== truth.length) return;
    this.title.dataset.i18n = 'boundary.regression';
    this.title.textContent = t('boundary.regression');
    say(this.note, 'text', () => t('boundary.samples', { n: pred.length }));
    const r = extent([...pred, ...truth].filter(Number.isFinite));
    const ctx = this.canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    const px = (v) => ((v - r[0]) / (r[1] - r[0])) * SIZE;
    ctx.strokeStyle = '#9aa5b1';
    ctx.beginPath();
    ctx.moveTo(0, SIZE);
    ctx.lineTo(SIZE, 0);
    ctx.stroke();
    truth.forEach((t, i) => dot(ctx, px(t), SIZE - px(pred[i]), PALETTE[0]));
    this.stamp(Math.round(pred.reduce((s, v) => s + v, 0) * 1e6));
  }

  /** Marks each redraw for tests: a count and a signature of what was drawn. */
  stamp(signature) {
    this.updates += 1;
    this.panel.dataset.updates = String(this.updates);
    this.panel.dataset.signature = String(signature);
  }
}

/** The range of values, with a margin. */
function extent(vs) {
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const m = (hi - lo) * 0.1;
  return [lo - m, hi + m];
}

/** The predicted class of each grid cell, lighter where the model is unsure. */
function paintGrid(ctx, res) {
  const n = res.xs.length;
  const cell = SIZE / n;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const [r, g, b] = PALETTE[res.classes[j][i] % PALETTE.length];
      const a = 0.15 + 0.45 * res.confidence[j][i];
      ctx.fillStyle = `rgb(${mix(r, a)}, ${mix(g, a)}, ${mix(b, a)})`;
      ctx.fillRect(i * cell, SIZE - (j + 1) * cell, cell + 0.5, cell + 0.5);
    }
  }
}

/** A channel blended with white. */
function mix(c, a) {
  return Math.round(255 + (c - 255) * a);
}

/** A data point. */
function dot(ctx, x, y, [r, g, b]) {
  ctx.beginPath();
  ctx.arc(x, y, 3.2, 0, 2 * Math.PI);
  ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
  ctx.fill();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 1;
  ctx.stroke();
}
