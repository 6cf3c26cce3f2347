// Plot arithmetic for the Train panel: scales, ticks, thinning and SVG path strings. Pure: no DOM.

/** [min, max] of the finite numbers in values, or null when there are none. */
export function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** A linear map from domain [d0, d1] to range [r0, r1] (a flat domain maps to the range's middle). */
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0;
  const f = (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
  f.domain = [d0, d1];
  f.kind = 'linear';
  return f;
}

/** A base-10 logarithmic map for positive domains. */
export function logScale([d0, d1], [r0, r1]) {
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const inner = linearScale([l0, l1], [r0, r1]);
  const f = (v) => inner(Math.log10(Math.max(v, d0)));
  f.domain = [d0, d1];
  f.kind = 'log';
  return f;
}

/** Log scale when every loss is positive and they span more than two decades, else linear. */
export function lossScale(losses, range) {
  const ext = extent(losses);
  if (!ext) return linearScale([0, 1], range);
  const [lo, hi] = ext;
  if (lo > 0 && hi / lo > 100) return logScale([lo, hi], range);
  const pad = hi === lo ? Math.abs(hi) * 0.1 || 1 : 0;
  return linearScale([lo - pad, hi + pad], range);
}

/** About n round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Powers of ten inside a positive [lo, hi] (the ticks of a log axis). */
export function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.ceil(Math.log10(lo)); 10 ** e <= hi * (1 + 1e-12); e += 1) out.push(10 ** e);
  return out.length ? out : [lo, hi];
}

/** At most max indices of an n-long series, evenly spread, always keeping the first and the last. */
export function thinIndices(n, max) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max < 2) return n ? [n - 1] : [];
  const out = [];
  for (let k = 0; k < max; k += 1) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** An SVG path through the points [x, y]; non-finite points break the line into pieces. */
export function linePath(points) {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** The loss curve's path inside box {x, y, width, height}, thinned to maxPoints, with its scales. */
export function lossCurve(losses, box, maxPoints = 400) {
  const xs = linearScale([0, Math.max(1, losses.length - 1)], [box.x, box.x + box.width]);
  const ys = lossScale(losses, [box.y + box.height, box.y]);
  const pts = thinIndices(losses.length, maxPoints).map((i) => [xs(i), ys(losses[i])]);
  return { path: linePath(pts), x: xs, y: ys };
}
