// Pan and zoom of the circuit: wheel zooms around the cursor, dragging the background pans.

const MIN_K = 0.08;
const MAX_K = 4;
const READABLE_K = 0.65; // below this a first view of a big circuit would be unreadable

/** Attaches pan/zoom to an <svg> whose drawing lives in its `.viewport` group. */
export function createViewport(svg) {
  const g = svg.querySelector('.viewport');
  const t = { k: 1, x: 0, y: 0 };
  let bounds = { width: 1, height: 1 };
  // The stage's size, kept by a ResizeObserver: reading it never forces a layout mid-drawing.
  let box = svg.getBoundingClientRect();
  new ResizeObserver(() => (box = svg.getBoundingClientRect())).observe(svg);
  const rect = () => box;

  /** Writes the transform and toggles level-of-detail classes (numbers hide when tiny). */
  function apply() {
    g.setAttribute('transform', `translate(${t.x},${t.y}) scale(${t.k})`);
    svg.classList.toggle('lod-far', t.k < 0.4);
  }

  /** Zooms by a factor around a point given in svg pixels. */
  function zoomAt(factor, px, py) {
    const k = Math.max(MIN_K, Math.min(MAX_K, t.k * factor));
    t.x = px - ((px - t.x) * k) / t.k;
    t.y = py - ((py - t.y) * k) / t.k;
    t.k = k;
    apply();
  }

  /** Fits the whole drawing in view (never enlarging past 1.4×). */
  function fit() {
    const r = rect();
    const k = Math.min(1.4, (r.width - 24) / bounds.width, (r.height - 24) / bounds.height);
    t.k = Math.max(MIN_K, k);
    t.x = (r.width - bounds.width * t.k) / 2;
    t.y = (r.height - bounds.height * t.k) / 2;
    apply();
  }

  /** First view of a new circuit: fit it; if that would make labels unreadable, show the output
   *  (`focus`, where the backward pass starts) at a readable scale instead. */
  function show(size, focus) {
    bounds = size;
    fit();
    if (t.k >= READABLE_K) return;
    const r = rect();
    const f = focus || { x: bounds.width, y: bounds.height / 2 };
    t.k = READABLE_K;
    t.x = Math.min(24, r.width * 0.8 - f.x * t.k);
    t.y = r.height / 2 - f.y * t.k;
    apply();
  }

  bindPanZoom(svg, t, apply, zoomAt);
  apply();
  const center = () => {
    const r = rect();
    return [r.width / 2, r.height / 2];
  };
  return {
    fit,
    show,
    zoomIn: () => zoomAt(1.25, ...center()),
    zoomOut: () => zoomAt(0.8, ...center()),
    get scale() {
      return t.k;
    },
  };
}

/** Wheel and pointer-drag handlers. */
function bindPanZoom(svg, t, apply, zoomAt) {
  svg.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const r = svg.getBoundingClientRect();
      zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    },
    { passive: false },
  );
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0 || ev.target.closest('[data-node-id], [data-fold]')) return;
    drag = { x: ev.clientX - t.x, y: ev.clientY - t.y };
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add('panning');
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    t.x = ev.clientX - drag.x;
    t.y = ev.clientY - drag.y;
    apply();
  });
  const end = () => {
    drag = null;
    svg.classList.remove('panning');
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
}
