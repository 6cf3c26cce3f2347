// The Data panel: your own CSV (pasted or loaded from a file) or a seeded toy set, read on the
// server into a feature matrix and labels that become the program's data inputs.
import { post } from '../api.js';
import { flatten } from '../format.js';
import { download } from '../exporter.js';
import { errorText, t } from '../i18n.js';
import { say, translateDom } from '../i18n-dom.js';

const CLASSIFIER = 'h = tanh(X @ W1 + b1)\nz = h @ W2 + b2\nloss = cross_entropy(z, y)';
const REGRESSOR = 'h = tanh(X @ W1 + b1)\np = h @ W2 + b2\nloss = mse(p, Y)';
const HIDDEN = 8;

const PANEL = `
  <summary><h2 data-i18n="data.title">Data</h2><span class="sub" data-i18n="data.sub">your own CSV, or a toy set</span></summary>
  <textarea id="data-csv" rows="4" spellcheck="false" placeholder="Paste a CSV: a header, then one row per sample&#10;x1,x2,label&#10;0.5,1.2,0" data-i18n-placeholder="data.paste"></textarea>
  <div class="data-row">
    <input id="data-file" type="file" accept=".csv,text/csv,text/plain" aria-label="CSV file" data-i18n-aria-label="data.file">
  </div>
  <div class="data-row">
    <label><span data-i18n="data.label">label</span> <select id="data-label"><option value="-1" data-i18n="data.last_column">last column</option></select></label>
    <label><span data-i18n="data.task">task</span> <select id="data-task"><option value="auto" data-i18n="data.auto">auto</option><option value="classification" data-i18n="data.classes">classes</option>
      <option value="regression" data-i18n="data.regression">regression</option></select></label>
    <button id="data-load" class="primary small" data-i18n="data.load">Load</button>
  </div>
  <div id="data-features" class="data-row data-features" hidden aria-label="Feature columns" data-i18n-aria-label="data.feature_columns"></div>
  <div class="data-row">
    <label><span data-i18n="data.features_as">features as</span> <input id="data-x" value="X" size="3" aria-label="Input name of the features" data-i18n-aria-label="data.x_name"></label>
    <label><span data-i18n="data.labels_as">labels as</span> <input id="data-y" value="y" size="3" aria-label="Input name of the labels" data-i18n-aria-label="data.y_name"></label>
  </div>
  <div class="data-row"><span data-i18n="data.toy">toy sets:</span>
    <button id="data-moons" class="small" data-i18n="data.moons">Two moons</button>
    <button id="data-spirals" class="small" data-i18n="data.spirals">Spirals</button>
    <label><span data-i18n="train.seed">seed</span> <input id="data-seed" type="number" value="0" min="0" step="1"></label>
  </div>
  <div id="data-error" class="data-error" role="alert" hidden></div>
  <div class="data-row"><span id="data-status" class="data-status"></span>
    <button id="data-download" class="small" disabled data-i18n="data.download">Download CSV</button></div>`;

/** Mounts the Data panel before `before` in the sidebar. */
export function mountDataPanel(app, { sidebar, before }) {
  const panel = Object.assign(document.createElement('details'), { id: 'data-panel', className: 'panel data-panel' });
  panel.innerHTML = PANEL;
  translateDom(panel);
  sidebar.insertBefore(panel, before);
  return new DataPanel(app, panel);
}

class DataPanel {
  constructor(app, panel) {
    Object.assign(this, { app, panel, data: null });
    this.$ = (id) => panel.querySelector(`#${id}`);
    this.$('data-load').addEventListener('click', () => this.load());
    this.$('data-file').addEventListener('change', (ev) => this.readFile(ev.target.files[0]));
    this.$('data-moons').addEventListener('click', () => this.generate('moons'));
    this.$('data-spirals').addEventListener('click', () => this.generate('spirals'));
    this.$('data-download').addEventListener('click', () => this.downloadCsv());
    this.$('data-label').addEventListener('change', () => this.data && this.fillFeatures(this.data, this.ticked()));
  }

  /** A chosen file's text goes into the paste box, then loads. */
  async readFile(file) {
    if (!file) return;
    this.$('data-csv').value = await file.text();
    return this.load();
  }

  /** Reads the pasted CSV on the server (POST /api/dataset) and feeds it to the program. */
  async load() {
    const csv = this.$('data-csv').value;
    const same = csv === this.parsed; // the column choices belong to the table they were read from
    const label = same ? this.$('data-label').value : '-1';
    const body = { csv, label: /^-?\d+$/.test(label) ? Number(label) : label, task: this.$('data-task').value };
    const chosen = this.ticked().filter((f) => f !== label);
    if (same && chosen.length) body.features = chosen;
    try {
      const res = await post('/api/dataset', body);
      this.parsed = csv;
      this.fillLabels(res);
      this.fillFeatures(res);
      await this.use(res);
    } catch (err) {
      this.fail(err);
    }
  }

  /** A seeded toy set (POST /api/dataset/generate). */
  async generate(name) {
    try {
      const seed = Math.max(0, Math.round(Number(this.$('data-seed').value) || 0));
      const res = await post('/api/dataset/generate', { name, n: name === 'moons' ? 100 : 90, seed, classes: name === 'moons' ? 2 : 3, noise: name === 'moons' ? 0.1 : 0.2 });
      await this.use(res);
    } catch (err) {
      this.fail(err);
    }
  }

  /** The label choices: every column the server read. */
  fillLabels(res) {
    const sel = this.$('data-label');
    const keep = sel.value;
    const known = [...sel.options].map((o) => o.value).filter((v) => v !== '-1');
    const cols = [...new Set([...known, ...res.features, res.label])];
    const last = new Option(t('data.last_column'), '-1');
    last.dataset.i18n = 'data.last_column';
    sel.replaceChildren(last, ...cols.map((c) => new Option(c, c)));
    sel.value = cols.includes(keep) ? keep : res.label;
  }

  /** The ticked feature columns. */
  ticked() {
    return [...this.$('data-features').querySelectorAll('input:checked')].map((b) => b.value);
  }

  /** A checkbox per column that can be a feature (all but the label); the used ones ticked. */
  fillFeatures(res, ticked = res.features) {
    const box = this.$('data-features');
    const label = this.$('data-label').value === '-1' ? res.label : this.$('data-label').value;
    const columns = [...this.$('data-label').options].map((o) => o.value).filter((v) => v !== '-1' && v !== label);
    box.replaceChildren(t('data.features'), ...columns.map((c) => {
      const l = document.createElement('label');
      const b = Object.assign(document.createElement('input'), { type: 'checkbox', value: c, checked: ticked.includes(c) });
      l.append(b, ` ${c}`);
      return l;
    }));
    box.hidden = false;
  }

  /** Puts the data into the program's inputs, or opens a small network shaped for it. */
  async use(res) {
    this.hideError();
    this.data = res;
    const xName = this.$('data-x').value.trim() || 'X';
    const regression = res.task === 'regression';
    const yName = regression && this.$('data-y').value.trim() === 'y' ? 'Y' : this.$('data-y').value.trim() || 'y';
    const yValue = regression ? res.y.map((v) => [v]) : res.y;
    const values = { [xName]: res.X, [yName]: yValue };
    const graph = this.app.getGraph();
    const xNode = graph && graph.nodes.find((n) => n.id === graph.inputs[xName]);
    const fits = xNode && graph.inputs[yName] && (xNode.shape || [])[1] === res.features.length;
    if (fits) await this.app.evaluate(values);
    else await this.app.setProgram(programFor(xName, yName, regression), { ...values, ...startWeights(res, regression) });
    say(this.$('data-status'), 'text', () => t('data.status', { rows: res.rows, features: res.features.length, task: regression ? t('data.regression') : t('data.n_classes', { n: res.classes.length }) }));
    this.$('data-download').disabled = false;
    this.panel.dataset.loaded = String(res.rows);
  }

  /** The data on the circuit now, back as CSV (what Load reads again). */
  downloadCsv() {
    if (!this.data) return;
    const graph = this.app.getGraph();
    const get = (name) => graph.nodes.find((n) => n.id === graph.inputs[name])?.value;
    const X = get(this.$('data-x').value.trim() || 'X') ?? this.data.X;
    const yName = this.data.task === 'regression' ? 'Y' : this.$('data-y').value.trim() || 'y';
    const y = flatten(get(yName) ?? this.data.y);
    const lines = [[...this.data.features, this.data.label].map(csvCell).join(',')];
    const label = (v) => (this.data.task === 'classification' ? csvCell(this.data.classes[v] ?? String(v)) : String(v));
    X.forEach((row, i) => lines.push([...row.map(String), label(y[i])].join(',')));
    download('gatewise_data.csv', `${lines.join('\n')}\n`, 'text/csv');
  }

  fail(err) {
    const box = this.$('data-error');
    say(box, 'text', () => errorText(err)); // from its code: a switch writes it again
    box.dataset.line = err.line ?? '';
    box.dataset.column = err.column ?? '';
    box.hidden = false;
  }

  hideError() {
    this.$('data-error').hidden = true;
  }
}

/** The small network the panel opens when the program does not take this data yet. */
function programFor(xName, yName, regression) {
  const text = regression ? REGRESSOR : CLASSIFIER;
  return text.replace(/\bX\b/g, xName).replace(regression ? /\bY\b/g : /\by\b/g, yName);
}

/** A seeded small random start (a fixed PRNG, so the same data always starts the same). */
function startWeights(res, regression) {
  const rand = mulberry32(1);
  const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const matrix = (r, c, s) => Array.from({ length: r }, () => Array.from({ length: c }, () => Math.round(normal() * s * 1000) / 1000));
  const k = regression ? 1 : Math.max(2, res.classes.length);
  const f = res.features.length;
  return { W1: matrix(f, HIDDEN, 1 / Math.sqrt(f)), b1: [Array(HIDDEN).fill(0)], W2: matrix(HIDDEN, k, 1 / Math.sqrt(HIDDEN)), b2: [Array(k).fill(0)] };
}

/** A small seeded PRNG. */
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A header cell, quoted when it holds a comma or a quote. */
function csvCell(s) {
  return /[",\n]/.test(s) ? `"${String(s).replace(/"/g, '""')}"` : String(s);
}
