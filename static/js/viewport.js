// Pan and zoom of the circuit: wheel or pinch zooms around a point, dragging the background pans.
import { READABLE_K, firstView } from './view-plan.js';

const MIN_K = 0.08;
const MAX_K = 4;

/** Attaches pan/zoom to an <svg> whose drawing lives in its `.viewport` group. */
export function createViewport(svg) {
  const g = svg.querySelector('.viewport');
  const t = { k: 1, x: 0, y: 0 };
  let bounds = { width: 1, height: 1 };
  // The stage's size, kept by a ResizeObserver: reading it never forces a layout mid-drawing.
  let box = pinSize(svg);
  const sizes = new ResizeObserver(() => {
    box = pinSize(svg);
    apply(); // the rows in view change with the stage's size
  });
  for (const e of [svg.parentElement, ...inFlow(svg)]) sizes.observe(e);
  let lastK = null;
  let mode = null; // how the view was last set: "fit", "inputs" (a first view) or "keep"

  /** Writes the transform, the zoom for the text's size floor (--k), and the level-of-detail class. */
  function apply() {
    g.setAttribute('transform', `translate(${t.x},${t.y}) scale(${t.k})`);
    // Quantised, so a wheel turn restyles the text a few times, not on every event.
    const k = Math.round(t.k * 20) / 20;
    if (k !== lastK) {
      lastK = k;
      svg.style.setProperty('--k', String(Math.max(0.05, k)));
      svg.dispatchEvent(new CustomEvent('gw-zoom', { detail: Math.max(0.05, k) })); // level of detail
    }
    svg.classList.toggle('lod-far', t.k < 0.4);
    svg.dispatchEvent(new CustomEvent('gw-view', { detail: { ...t, width: box.width, height: box.height } })); // culling
  }

  /** Zooms by a factor around a point given in svg pixels. */
  function zoomAt(factor, px, py) {
    const k = Math.max(minK(), Math.min(MAX_K, t.k * factor));
    t.x = px - ((px - t.x) * k) / t.k;
    t.y = py - ((py - t.y) * k) / t.k;
    t.k = k;
    apply();
  }

  /** The smallest zoom: MIN_K, or less if the drawing needs it to be seen whole. */
  function minK() {
    const fitK = firstView({ stage: box, bounds, gates: 0, inputs: [] }).transform.k;
    return Math.min(MIN_K, fitK * 0.8);
  }

  /** Fits the whole drawing in view (never enlarging past 1.4×). */
  function fit() {
    Object.assign(t, firstView({ stage: box, bounds, gates: 0, inputs: [] }).transform);
    mode = 'fit';
    apply();
  }

  /** First view of a new circuit (see view-plan.js): fit it, or frame its inputs at a readable scale. */
  function show(size, { gates = 0, inputs = [] } = {}) {
    bounds = size;
    const view = firstView({ stage: box, bounds, gates, inputs });
    Object.assign(t, view.transform);
    mode = view.mode;
    apply();
  }

  /** Keeps a box (an expanded gate's frame) where the gate was on screen (at), zooming out only
   *  as far as needed (and readable) to show it whole, and shifting it inside the stage. */
  function keep(b, at) {
    t.k = Math.max(Math.min(READABLE_K, t.k), Math.min(t.k, (box.width - 24) / b.w, (box.height - 24) / b.h));
    t.x = at.x - (b.x + b.w / 2) * t.k;
    t.y = at.y - (b.y + b.h / 2) * t.k;
    t.x += shift(t.x + b.x * t.k, (b.x + b.w) * t.k + t.x, box.width);
    t.y += shift(t.y + b.y * t.k, (b.y + b.h) * t.k + t.y, box.height);
    mode = 'keep';
    apply();
  }

  /** Where a drawing point is on screen (svg pixels). */
  const toScreen = (p) => ({ x: t.x + p.x * t.k, y: t.y + p.y * t.k });

  bindPanZoom(svg, t, apply, zoomAt);
  apply();
  const center = () => [box.width / 2, box.height / 2];
  return {
    fit,
    show,
    keep,
    toScreen,
    zoomTo: (k) => zoomAt(k / t.k, ...center()),
    zoomIn: () => zoomAt(1.25, ...center()),
    zoomOut: () => zoomAt(0.8, ...center()),
    get scale() {
      return t.k;
    },
    get mode() {
      return mode;
    },
  };
}

/** Gives the svg its stage's size in pixels (base.css: --stage-w, --stage-h) and returns its box. A
 *  size the browser had to work out again at every layout of the page (the busy indicator, a dialog)
 *  made it lay out every text of the drawing anew: 80 ms at 300 gates, though nothing had moved. */
function pinSize(svg) {
  const stage = svg.parentElement.getBoundingClientRect();
  const below = inFlow(svg).reduce((h, e) => h + e.getBoundingClientRect().height, 0); // the player bar
  svg.style.setProperty('--stage-w', `${stage.width}px`);
  svg.style.setProperty('--stage-h', `${Math.max(0, stage.height - below)}px`);
  return svg.getBoundingClientRect();
}

/** The stage's other children that take room of their own (not laid over the circuit). */
function inFlow(svg) {
  return [...svg.parentElement.children].filter((e) => e !== svg && getComputedStyle(e).position === 'static' && e.tagName !== 'DIALOG');
}

/** How far to move a span [lo, hi] so it lies inside [12, size - 12] (its start wins if too long). */
function shift(lo, hi, size) {
  if (lo < 12) return 12 - lo;
  if (hi > size - 12) return Math.max(12 - lo, size - 12 - hi);
  return 0;
}

/** Wheel, mouse/touch drag to pan, and a two-finger pinch to zoom. */
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
  const pointers = new Map();
  let drag = null;
  let pinch = null;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0 || (ev.pointerType === 'mouse' && ev.target.closest('[data-node-id], [data-ghost-of], [data-fold]'))) return;
    pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
    svg.setPointerCapture(ev.pointerId);
    if (pointers.size === 2) {
      drag = null;
      pinch = spread(pointers);
    } else if (pointers.size === 1) {
      drag = { x: ev.clientX - t.x, y: ev.clientY - t.y };
      svg.classList.add('panning');
    }
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!pointers.has(ev.pointerId)) return;
    pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
    if (pinch && pointers.size >= 2) {
      const now = spread(pointers);
      const r = svg.getBoundingClientRect();
      zoomAt(now.d / pinch.d, now.cx - r.left, now.cy - r.top);
      pinch = now;
    } else if (drag) {
      t.x = ev.clientX - drag.x;
      t.y = ev.clientY - drag.y;
      apply();
    }
  });
  const end = (ev) => {
    pointers.delete(ev.pointerId);
    if (pointers.size < 2) pinch = null;
    if (pointers.size === 0) {
      drag = null;
      svg.classList.remove('panning');
    }
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
}

/** Distance and midpoint of the first two pointers. */
function spread(pointers) {
  const [a, b] = [...pointers.values()];
  return { d: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2 };
}
