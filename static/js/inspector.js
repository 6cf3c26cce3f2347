// The tensor inspector: value and gradient as matrices of numbers on a diverging colour scale. A
// tensor larger than MAX_CELLS either way is shown a window at a time; entries the page form only
// summarized are fetched from POST /api/tensor, one window per request.
import { fetchTensor } from './api.js';
import { divergingColor, formatNumber, formatShape, maxAbs, toMatrix, toNumber } from './format.js';
import { nodeTitle } from './graph-state.js';
import { errorText, t } from './i18n.js';
import { say } from './i18n-dom.js';
import { isSummary } from './lean.js';

const MAX_CELLS = 64; // rows/cols shown whole
const WINDOW = 32; // rows and columns of one window of a bigger tensor

/** Creates the inspector bound to a <dialog>; show(node, state) opens it. `graph()` is the drawn
 *  graph (its `request` and `omitted` say how to fetch what it left out). */
export function createInspector(dialog, { graph = () => null } = {}) {
  const body = dialog.querySelector('.inspector-body');
  const title = dialog.querySelector('.inspector-title');
  dialog.querySelector('.close').addEventListener('click', () => dialog.close());
  const view = { node: null, state: null, at: { value: [0, 0], grad: [0, 0] }, seq: 0 };

  /** Opens the inspector on a node (numbers not yet reached by the animation stay hidden). */
  function show(node, state) {
    if (view.node?.id !== node.id) view.at = { value: [0, 0], grad: [0, 0] };
    Object.assign(view, { node, state });
    title.textContent = `${nodeTitle(node)} · ${formatShape(node.shape)}`;
    const my = ++view.seq;
    const move = (field, at) => {
      view.at[field] = at;
      show(view.node, view.state);
    };
    const ctx = { graph: graph(), live: () => my === view.seq && dialog.open, move };
    body.replaceChildren(
      matrixBlock('value', node, state !== 'pending', view.at.value, ctx),
      matrixBlock('grad', node, state === 'backward', view.at.grad, ctx),
    );
    dialog.dataset.nodeId = node.id;
    if (!dialog.open) dialog.show();
  }
  return { show, close: () => dialog.close(), get openId() { return dialog.open ? dialog.dataset.nodeId : null; } };
}

/** One titled matrix: whole, a window of it, or a placeholder before the animation reaches it. */
function matrixBlock(field, node, known, at, ctx) {
  const name = nodeTitle(node);
  const sec = document.createElement('section');
  sec.className = `matrix-block ${field === 'value' ? 'value' : 'gradient'}`;
  const h = document.createElement('h3');
  h.textContent = field === 'value' ? t('inspector.value_of', { name }) : t('inspector.gradient_of', { name });
  sec.append(h);
  const value = field === 'value' ? node.value : node.grad;
  const remote = isSummary(value) || (field === 'grad' && value == null && ctx.graph?.omitted?.has(node.id));
  if (!known || (!remote && (value === null || value === undefined))) {
    sec.append(hint(t('inspector.not_yet')));
    return sec;
  }
  const shape = node.shape || [];
  const [rows, cols] = matrixSize(shape);
  if (!remote && rows <= MAX_CELLS && cols <= MAX_CELLS) {
    sec.append(matrixTable(value, shape));
    return sec;
  }
  const win = windowAt(at, rows, cols);
  sec.append(pager(win, rows, cols, (next) => ctx.move(field, next)));
  if (!remote) {
    sec.append(windowTable(localWindow(value, shape, win), win, rows, cols, scaleOf(value)));
    return sec;
  }
  const wait = hint(isSummary(value) ? summaryText(value) : t('inspector.fetching'));
  sec.append(wait);
  // Asked for after the dialog is drawn: sending the program's values (a whole MNIST batch) is work too.
  afterFrame(() => fetchWindow(ctx, node, field, win)).then((res) => inFrame(() => {
    if (!ctx.live() || !res?.data) return;
    const scale = isSummary(value) ? maxAbs(value) : maxAbs(res.data);
    wait.after(windowTable(res.data, win, rows, cols, scale));
  }), (err) => ctx.live() && say(wait, 'text', () => t('inspector.fetch_failed', { message: errorText(err) })));
  return sec;
}

const frames = []; // fetched windows waiting to be drawn: one a frame (a 32×32 table is 1,024 cells
// for the browser to lay out and paint; the value's and the gradient's arrive together)

/** Resolves with what fn returns, called once the next frame is drawn. */
function afterFrame(fn) {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))).then(fn);
}

/** Runs build in an animation frame of its own. */
function inFrame(build) {
  frames.push(build);
  if (frames.length === 1) requestAnimationFrame(nextBuild);
}

/** Runs the first waiting build, and the next one in the next frame. */
function nextBuild() {
  frames.shift()();
  if (frames.length) requestAnimationFrame(nextBuild);
}

/** (rows, columns) of a tensor shown as a matrix: 1-D is one row, leading axes fold into rows. */
function matrixSize(shape) {
  if (!shape.length) return [1, 1];
  const cols = shape[shape.length - 1] || 1;
  return [shape.reduce((a, b) => a * b, 1) / cols, cols];
}

/** The window {r0, r1, c0, c1} at origin `at`, kept inside the matrix. */
function windowAt([r, c], rows, cols) {
  const r0 = Math.max(0, Math.min(r, rows - WINDOW));
  const c0 = Math.max(0, Math.min(c, cols - WINDOW));
  return { r0, r1: Math.min(rows, r0 + WINDOW), c0, c1: Math.min(cols, c0 + WINDOW) };
}

/** A window's rows and columns of a tensor the page holds (a matrix is sliced, not flattened:
 *  an MNIST batch is 78,400 numbers, and the inspector opens on every step). */
function localWindow(value, shape, w) {
  if (shape.length === 2 && Array.isArray(value)) {
    return value.slice(w.r0, w.r1).map((row) => row.slice(w.c0, w.c1).map(toNumber));
  }
  return toMatrix(value, shape).slice(w.r0, w.r1).map((row) => row.slice(w.c0, w.c1));
}

const scales = new WeakMap(); // tensor -> its largest magnitude: the colour scale, found once

/** The colour scale of a whole tensor. */
function scaleOf(value) {
  if (!scales.has(value)) scales.set(value, maxAbs(value));
  return scales.get(value);
}

const windows = new WeakMap(); // graph -> Map(key -> promise): a window is fetched once per graph

/** The window's entries from POST /api/tensor (the same program and values as the drawn graph). */
function fetchWindow(ctx, node, field, w) {
  const g = ctx.graph;
  if (!g?.request?.expression) return Promise.reject(new Error(t('inspector.no_server')));
  if (!windows.has(g)) windows.set(g, new Map());
  const cache = windows.get(g);
  const key = `${node.id}|${field}|${w.r0}|${w.c0}`;
  if (!cache.has(key)) {
    const p = fetchTensor(g.request, node.id, field, [w.r0, w.r1], [w.c0, w.c1]);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key);
}

/** Buttons that move the window by its size, and where it is. */
function pager(w, rows, cols, go) {
  const bar = document.createElement('div');
  bar.className = 'matrix-pager';
  const button = (text, label, next, enabled) => {
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text, disabled: !enabled });
    b.setAttribute('aria-label', label);
    b.addEventListener('click', () => go(next));
    return b;
  };
  const where = document.createElement('span');
  where.className = 'matrix-where';
  where.textContent = t('inspector.where', { r0: w.r0 + 1, r1: w.r1, rows, c0: w.c0 + 1, c1: w.c1, cols });
  bar.append(
    button('↑', t('inspector.prev_rows'), [w.r0 - WINDOW, w.c0], w.r0 > 0),
    button('↓', t('inspector.next_rows'), [w.r0 + WINDOW, w.c0], w.r1 < rows),
    button('←', t('inspector.prev_cols'), [w.r0, w.c0 - WINDOW], w.c0 > 0),
    button('→', t('inspector.next_cols'), [w.r0, w.c0 + WINDOW], w.c1 < cols),
    where,
  );
  return bar;
}

/** A summary's range and norm, shown while its window is fetched. */
function summaryText(s) {
  return t('inspector.summary', { min: formatNumber(s.min), max: formatNumber(s.max), norm: formatNumber(s.norm) });
}

/** A paragraph of muted text. */
function hint(text) {
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = text;
  return p;
}

/** The cells of a window, coloured on the whole tensor's scale. */
function windowTable(rows, w, total, cols, scale) {
  const table = cells(rows, scale);
  table.dataset.rows = `${w.r0}:${w.r1}`;
  table.dataset.cols = `${w.c0}:${w.c1}`;
  const c = document.createElement('caption');
  c.textContent = t('inspector.showing', { shown: `${w.r1 - w.r0}×${w.c1 - w.c0}`, all: `${total}×${cols}` });
  table.caption = c;
  return table;
}

/** A table of numbers coloured by sign and magnitude (optionally transposed). */
export function matrixTable(value, shape, transpose = false) {
  const rows = transpose ? transposed(toMatrix(value, shape)) : toMatrix(value, shape);
  return cells(rows, maxAbs(value));
}

/** Rows of numbers as a coloured table (written as one string of HTML: a window is 1,024 cells, and
 *  making them one by one cost 25-40 ms of the inspector's opening). */
function cells(rows, m) {
  const table = document.createElement('table');
  table.className = 'matrix';
  let html = '';
  for (const row of rows) {
    html += '<tr>';
    for (const v of row) {
      const x = toNumber(v);
      html += `<td${x < 0 ? ' class="neg"' : ''} style="background:${divergingColor(x, m)}">${escapeText(formatNumber(x, 3))}</td>`;
    }
    html += '</tr>';
  }
  table.innerHTML = html;
  return table;
}

/** Text made safe inside HTML (numbers are, but the rule is cheap). */
function escapeText(s) {
  return String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
}

/** Rows and columns swapped. */
function transposed(rows) {
  return rows[0].map((_, j) => rows.map((r) => r[j]));
}
