// Live inputs: a slider and a draggable number per scalar input; changes re-evaluate the circuit.
import { formatNumber, sliderRange, toNumber } from './format.js';
import { getLang, t } from './i18n.js';

/** Creates the inputs panel; onChange(name, value) fires while the user scrubs. */
export function createInputs(container, onChange) {
  let rows = new Map();
  /** Rebuilds rows when the set of inputs changes; otherwise only updates their numbers. */
  function update(inputs) {
    const key = `${getLang()}:${inputs.map((i) => i.name).join(',')}`; // a switch of language relabels
    if (container.dataset.key !== key) {
      container.dataset.key = key;
      rows = new Map(inputs.map((i) => [i.name, makeRow(i, onChange)]));
      container.replaceChildren(...rows.values());
      container.closest('section')?.toggleAttribute('hidden', inputs.length === 0);
    }
    for (const i of inputs) setRowValue(rows.get(i.name), toNumber(i.value));
  }
  return { update };
}

/** One input row: name (drag it horizontally to scrub), slider, exact number. */
function makeRow(input, onChange) {
  const row = document.createElement('div');
  row.className = 'input-row';
  row.dataset.name = input.name;
  const range = sliderRange(toNumber(input.value));
  const name = Object.assign(document.createElement('span'), { className: 'input-name', textContent: input.name });
  name.title = t('inputs.drag');
  const slider = Object.assign(document.createElement('input'), { type: 'range', className: 'input-slider' });
  Object.assign(slider, { min: String(range.min), max: String(range.max), step: String(range.step) });
  slider.setAttribute('aria-label', t('inputs.value_of', { name: input.name }));
  const num = Object.assign(document.createElement('span'), { className: 'input-value' });
  const set = (x) => {
    setRowValue(row, x);
    onChange(input.name, x);
  };
  slider.addEventListener('input', () => set(Number(slider.value)));
  dragToScrub(name, () => row.current, Number(slider.step), set);
  dragToScrub(num, () => row.current, Number(slider.step), set);
  row.append(name, slider, num);
  return row;
}

/** Shows a value in a row (and in its slider, widening the range if needed). */
function setRowValue(row, x) {
  if (!row) return;
  row.current = x;
  const slider = row.querySelector('input');
  if (Number.isFinite(x)) {
    if (x < Number(slider.min)) slider.min = String(x);
    if (x > Number(slider.max)) slider.max = String(x);
    slider.value = String(x);
  }
  row.querySelector('.input-value').textContent = formatNumber(x);
}

/** Horizontal drag on an element changes the value by `step` per pixel (Shift: 10× finer). */
function dragToScrub(elem, get, step, set) {
  elem.classList.add('scrub');
  elem.addEventListener('pointerdown', (ev) => {
    const x0 = ev.clientX;
    const v0 = get();
    elem.setPointerCapture(ev.pointerId);
    const move = (e) => {
      const s = step * (e.shiftKey ? 0.1 : 1);
      set(Number((Math.round((v0 + (e.clientX - x0) * s) / s) * s).toPrecision(12)));
    };
    const up = () => {
      elem.removeEventListener('pointermove', move);
      elem.removeEventListener('pointerup', up);
    };
    elem.addEventListener('pointermove', move);
    elem.addEventListener('pointerup', up);
  });
}
