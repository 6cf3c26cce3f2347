// The program editor: a monospaced textarea with line numbers, error marks and live evaluation.

const DEBOUNCE_MS = 350;

/** Wires the editor: onEdit() on every change, onRun() on Ctrl+Enter, Evaluate, and debounced edits. */
export function createEditor({ textarea, gutter, marks, errorBox, button }, { onEdit, onRun }) {
  let timer = null;
  // Mirrors text into the gutter and the marks layer (scroll is synced by the scroll event only,
  // because reading scrollTop here would force a layout while a big circuit is being drawn).
  const sync = () => {
    renderGutter(gutter, textarea.value, null);
    marks.replaceChildren(document.createTextNode(`${textarea.value}\n`));
  };
  const syncScroll = () => {
    marks.scrollTop = textarea.scrollTop;
    marks.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  };
  textarea.addEventListener('input', () => {
    onEdit();
    clearTimeout(timer);
    // Keep the previous mark until the next result: a flickering error box while typing is noise.
    timer = setTimeout(() => onRun(), DEBOUNCE_MS);
    sync();
  });
  textarea.addEventListener('scroll', syncScroll);
  textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      clearTimeout(timer);
      onRun();
    } else if (ev.key === 'Tab' && !ev.shiftKey) {
      ev.preventDefault();
      textarea.setRangeText('  ', textarea.selectionStart, textarea.selectionEnd, 'end');
      textarea.dispatchEvent(new Event('input'));
    }
  });
  button.addEventListener('click', () => {
    clearTimeout(timer);
    onRun();
  });
  sync();

  return {
    get value() {
      return textarea.value;
    },
    set value(text) {
      textarea.value = text;
      sync();
    },
    cancelPending: () => clearTimeout(timer),
    showError: (err) => showError({ textarea, gutter, marks, errorBox }, err),
    clearError: () => {
      if (errorBox.hidden) return;
      errorBox.hidden = true;
      errorBox.replaceChildren();
      textarea.classList.remove('has-error');
      sync();
    },
  };
}

/** Line numbers; the error's line is marked. */
function renderGutter(gutter, text, errLine) {
  const n = text.split('\n').length;
  const frag = document.createDocumentFragment();
  for (let i = 1; i <= n; i++) {
    const d = document.createElement('div');
    d.textContent = String(i);
    if (i === errLine) d.className = 'err';
    frag.appendChild(d);
  }
  gutter.replaceChildren(frag);
}

/** Shows an error under the editor and marks its line and column in the text. */
function showError({ textarea, gutter, marks, errorBox }, err) {
  const line = err.line ?? null;
  const col = err.column ?? null;
  errorBox.replaceChildren();
  const where = document.createElement('span');
  where.className = 'where';
  where.textContent = line ? `Line ${line}${col ? `, column ${col}` : ''}` : 'Error';
  const msg = document.createElement('span');
  msg.className = 'message';
  msg.textContent = err.message;
  errorBox.append(where, msg);
  errorBox.hidden = false;
  textarea.classList.add('has-error');
  renderGutter(gutter, textarea.value, line);
  renderMarks(marks, textarea.value, line, col);
  marks.scrollTop = textarea.scrollTop;
}

/** Mirrors the text behind the transparent textarea, highlighting the error line and column. */
function renderMarks(marks, text, line, col) {
  const lines = text.split('\n');
  const frag = document.createDocumentFragment();
  lines.forEach((t, i) => {
    if (i + 1 !== line) return frag.append(document.createTextNode(`${t}\n`));
    const row = document.createElement('mark');
    row.className = 'err-line';
    const c = col ? Math.min(col - 1, t.length) : -1;
    if (c < 0) row.textContent = t;
    else {
      const at = document.createElement('span');
      at.className = 'err-col';
      at.textContent = t[c] ?? ' ';
      row.append(document.createTextNode(t.slice(0, c)), at, document.createTextNode(t.slice(c + 1)));
    }
    frag.append(row, document.createTextNode('\n'));
  });
  marks.replaceChildren(frag);
}
