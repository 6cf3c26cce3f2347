// The tensor inspector: value and gradient as matrices of numbers on a diverging colour scale.
import { divergingColor, formatNumber, formatShape, maxAbs, toMatrix } from './format.js';
import { nodeTitle } from './graph-state.js';
import { t } from './i18n.js';

const MAX_CELLS = 64; // rows/cols shown; bigger tensors are cut with a note

/** Creates the inspector bound to a <dialog>; show(node, state) opens it. */
export function createInspector(dialog) {
  const body = dialog.querySelector('.inspector-body');
  const title = dialog.querySelector('.inspector-title');
  dialog.querySelector('.close').addEventListener('click', () => dialog.close());

  /** Opens the inspector on a node (numbers not yet reached by the animation stay hidden). */
  function show(node, state) {
    title.textContent = `${nodeTitle(node)} · ${formatShape(node.shape)}`;
    body.replaceChildren(
      matrixBlock('value', node.value, node.shape, state !== 'pending', nodeTitle(node)),
      matrixBlock('gradient', node.grad, node.shape, state === 'backward', nodeTitle(node)),
    );
    dialog.dataset.nodeId = node.id;
    if (!dialog.open) dialog.show();
  }
  return { show, close: () => dialog.close(), get openId() { return dialog.open ? dialog.dataset.nodeId : null; } };
}

/** One titled matrix (or a placeholder before the animation reaches it). */
function matrixBlock(kind, value, shape, known, name) {
  const sec = document.createElement('section');
  sec.className = `matrix-block ${kind}`;
  const h = document.createElement('h3');
  h.textContent = kind === 'value' ? t('inspector.value_of', { name }) : t('inspector.gradient_of', { name });
  sec.append(h);
  if (!known || value === null || value === undefined) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = t('inspector.not_yet');
    sec.append(p);
    return sec;
  }
  sec.append(matrixTable(value, shape));
  return sec;
}

/** A table of numbers coloured by sign and magnitude (optionally transposed). */
export function matrixTable(value, shape, transpose = false) {
  const rows = transpose ? transposed(toMatrix(value, shape)) : toMatrix(value, shape);
  const m = maxAbs(value);
  const table = document.createElement('table');
  table.className = 'matrix';
  for (const row of rows.slice(0, MAX_CELLS)) {
    const tr = table.insertRow();
    for (const x of row.slice(0, MAX_CELLS)) {
      const td = tr.insertCell();
      td.textContent = formatNumber(x, 3);
      td.style.background = divergingColor(x, m);
      td.classList.toggle('neg', x < 0);
    }
  }
  if (rows.length > MAX_CELLS || rows[0].length > MAX_CELLS) table.caption = captionFor(rows);
  return table;
}

/** Rows and columns swapped. */
function transposed(rows) {
  return rows[0].map((_, j) => rows.map((r) => r[j]));
}

/** A caption noting truncation. */
function captionFor(rows) {
  const c = document.createElement('caption');
  c.textContent = t('inspector.showing', { shown: `${Math.min(rows.length, MAX_CELLS)}×${Math.min(rows[0].length, MAX_CELLS)}`, all: `${rows.length}×${rows[0].length}` });
  return c;
}
