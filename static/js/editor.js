// The program editor: a textarea over a mirror that paints error marks, line numbers that follow
// wrapped lines, live evaluation, and the keys people know (Tab leaves, Escape then Tab, Ctrl+M).
import { errorText, t } from './i18n.js';
import { say } from './i18n-dom.js';

const DEBOUNCE_MS = 350; // the typing delay when the caller measures nothing
const LATER_CHARS = 5000; // a program this long is mirrored a frame after its text is laid out
const INDENT = '  ';

/** Wires the editor: onEdit() on every change, onRun() on Ctrl+Enter, Evaluate, and debounced edits
 *  (typingDelay() gives the delay in ms, e.g. from what the last evaluation cost). */
export function createEditor({ textarea, gutter, marks, errorBox, button }, { onEdit, onRun, typingDelay = () => DEBOUNCE_MS }) {
  let timer = null;
  let error = { line: null, col: null };
  let step = { line: null, around: [] }; // the animation step's program lines
  const fits = lineFit(textarea);
  const syncNow = () => {
    queued = false;
    renderMarks(marks, textarea.value, error.line, error.col);
    markStep(marks, step);
    renderGutter(gutter, marks, error.line, fits);
  };
  // A long program's mirror and line numbers are written after the frame that lays out its text:
  // both at once were one task of 60-130 ms at 1,000 lines.
  let queued = false;
  const sync = () => {
    if (textarea.value.length < LATER_CHARS) return syncNow();
    if (!queued) requestAnimationFrame(() => setTimeout(() => queued && syncNow(), 0));
    queued = true;
  };
  textarea.addEventListener('input', () => {
    onEdit();
    clearTimeout(timer);
    // Keep the previous mark until the next result: a flickering error box while typing is noise.
    timer = setTimeout(() => onRun(), typingDelay());
    sync();
  });
  textarea.addEventListener('scroll', () => {
    marks.scrollTop = textarea.scrollTop;
    gutter.scrollTop = textarea.scrollTop;
  });
  const run = () => {
    clearTimeout(timer);
    onRun();
  };
  bindKeys(textarea, run);
  button.addEventListener('click', run);
  // Wrapped lines change height when the editor's width changes: the line numbers follow.
  new ResizeObserver(([entry]) => {
    fits.width = entry.contentRect.width;
    renderGutter(gutter, marks, error.line, fits);
  }).observe(textarea);
  sync();

  return {
    get value() {
      return textarea.value;
    },
    set value(text) {
      textarea.value = text;
      sync();
    },
    showError: (err) => {
      error = { line: err.line ?? null, col: err.column ?? null };
      showMessage(errorBox, err, error.line, error.col);
      textarea.classList.add('has-error');
      textarea.setAttribute('aria-invalid', 'true');
      sync();
      marks.scrollTop = textarea.scrollTop;
    },
    /** Marks the animation step's line (a def body's, inside a call) and the lines of the calls around it. */
    showStep: (line, around = []) => {
      step = { line, around };
      markStep(marks, step);
    },
    clearError: () => {
      if (errorBox.hidden) return;
      error = { line: null, col: null };
      errorBox.hidden = true;
      errorBox.replaceChildren();
      textarea.classList.remove('has-error');
      textarea.removeAttribute('aria-invalid');
      sync();
    },
  };
}

/** Ctrl+Enter runs; Tab indents only a selection; Escape (then Tab) and Ctrl+M release the focus. */
function bindKeys(textarea, run) {
  let tabMoves = false; // Ctrl+M: Tab moves the focus until pressed again (as in VS Code)
  let escaped = false; // Escape: the next Tab moves the focus
  textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run();
    } else if (ev.key === 'm' && ev.ctrlKey) {
      ev.preventDefault();
      tabMoves = !tabMoves;
      textarea.dataset.tabMoves = String(tabMoves);
    } else if (ev.key === 'Escape') {
      escaped = true;
    } else if (ev.key === 'Tab') {
      const selection = textarea.selectionStart !== textarea.selectionEnd;
      if (selection && !escaped && !tabMoves) {
        ev.preventDefault();
        indent(textarea, ev.shiftKey);
      }
      escaped = false;
    } else {
      escaped = false;
    }
  });
}

/** Indents (or with Shift dedents) every line the selection touches. */
function indent(textarea, out) {
  const { value, selectionStart: s, selectionEnd: e } = textarea;
  const from = value.lastIndexOf('\n', s - 1) + 1;
  const lines = value.slice(from, e).split('\n');
  const moved = lines.map((l) => (out ? l.replace(/^ {1,2}/, '') : INDENT + l));
  textarea.setRangeText(moved.join('\n'), from, e, 'select');
  textarea.dispatchEvent(new Event('input'));
}

/** Line numbers, one per logical line, each as tall as that line wraps to; the error's is marked.
 *  The numbers are kept and only their heights and marks set (other views' marks on them, such as
 *  grading's, stay). Only a line that may wrap is measured: reading a height makes the browser lay
 *  the editor out there and then, which a 1,000-line program paid twice per edit. */
function renderGutter(gutter, marks, errLine, fits) {
  const rows = marks.children;
  while (gutter.children.length > rows.length) gutter.lastChild.remove();
  const frag = document.createDocumentFragment();
  for (let i = gutter.children.length; i < rows.length; i++) {
    const d = document.createElement('div');
    d.textContent = String(i + 1);
    frag.appendChild(d);
  }
  gutter.appendChild(frag);
  const heights = [...rows].map((row) => (fits(row.textContent) ? LINE_PX : row.offsetHeight));
  heights.forEach((h, i) => {
    const d = gutter.children[i];
    if (d.style.height !== `${h}px`) d.style.height = `${h}px`;
    d.classList.toggle('err', i + 1 === errLine);
  });
}

const LINE_PX = 20; // panels.css: .editor's line height, a row's least height
const SLACK = 6; // characters of room kept: the line numbers' column may widen before the next layout

/** fits(text): whether a line surely takes one row of the editor, without measuring it: plain ASCII
 *  (one column each in the monospaced font) and well short of the row. fits.width is the text's
 *  width in px (kept by the editor's ResizeObserver); unknown, every line is measured. An empty row holds a
 *  zero-width space. */
function lineFit(textarea) {
  let charW = null;
  const fits = (text) => {
    if (!fits.width) return false;
    charW ??= widestChar(textarea);
    return /^[\x20-\x7e\u200b]*$/.test(text) && text.length <= fits.width / charW - SLACK;
  };
  fits.width = 0;
  return fits;
}

/** The width of the widest character of the editor's font, in px (Infinity if it cannot be told):
 *  the font is monospaced, but a fallback might not be. */
function widestChar(textarea) {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return Infinity;
  ctx.font = getComputedStyle(textarea).font;
  return Math.max(...[...'WM@0m_'].map((c) => ctx.measureText(c).width)) || Infinity;
}

/** The error message under the editor. */
function showMessage(errorBox, err, line, col) {
  const where = document.createElement('span');
  where.className = 'where';
  // Both from the catalogs: a switch of language writes them again (the message from its code).
  say(where, 'text', () => (line ? (col ? t('error.at_line_col', { line, col }) : t('error.at_line', { line })) : t('error.title')));
  const msg = document.createElement('span');
  msg.className = 'message';
  say(msg, 'text', () => errorText(err));
  errorBox.replaceChildren(where, msg);
  errorBox.hidden = false;
}

/** The step's line gets data-step, the calls around it data-step-call (rows are 1-based lines). */
function markStep(marks, { line, around }) {
  for (const row of marks.querySelectorAll('[data-step], [data-step-call]')) {
    row.removeAttribute('data-step');
    row.removeAttribute('data-step-call');
  }
  if (line) marks.children[line - 1]?.setAttribute('data-step', '');
  for (const l of around) marks.children[l - 1]?.setAttribute('data-step-call', '');
}

/** Mirrors the text behind the transparent textarea, one block per line, marking the error's column. */
function renderMarks(marks, text, line, col) {
  const frag = document.createDocumentFragment();
  text.split('\n').forEach((t, i) => {
    const row = document.createElement(i + 1 === line ? 'mark' : 'div');
    row.className = i + 1 === line ? 'row err-line' : 'row';
    const c = i + 1 === line && col ? Math.min(col - 1, t.length) : -1;
    if (c < 0) row.textContent = t || '\u200b';
    else {
      const at = document.createElement('span');
      at.className = 'err-col';
      at.textContent = t[c] ?? ' ';
      row.append(document.createTextNode(t.slice(0, c)), at, document.createTextNode(t.slice(c + 1)));
    }
    frag.append(row);
  });
  marks.replaceChildren(frag);
}
