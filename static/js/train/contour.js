// The loss landscape for two scalar parameters: grid ranges around a path, contour levels, and
// marching squares. Pure: no DOM (the panel draws the segments it returns).

/** The [lo, hi] range of a path's coordinate, padded so the path sits inside (as the server does). */
export function rangeAround(values, padFraction = 0.25, minPad = 0.5) {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 0;
  const pad = Math.max(padFraction * (hi - lo), minPad);
  return [lo - pad, hi + pad];
}

/** A square-ish view: both ranges widened to the same span so circles look round. */
export function squareRanges(xr, yr) {
  const span = Math.max(xr[1] - xr[0], yr[1] - yr[0]);
  const widen = ([a, b]) => {
    const mid = (a + b) / 2;
    return [mid - span / 2, mid + span / 2];
  };
  return [widen(xr), widen(yr)];
}

/** n contour levels between the grid's minimum and maximum, denser near the minimum (quadratic). */
export function contourLevels(grid, n = 12) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of grid) {
    for (const v of row) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!(hi > lo)) return [];
  return Array.from({ length: n }, (_, k) => lo + (hi - lo) * ((k + 1) / (n + 1)) ** 2);
}

/** Where along an edge from value a to value b the level is crossed (0..1). */
function cross(a, b, level) {
  return a === b ? 0.5 : (level - a) / (b - a);
}

/** Marching squares: segments [x1, y1, x2, y2] (data coordinates) where z crosses the level.
 *  z[j][i] is the value at (xs[i], ys[j]). Saddles are split by the cell's mean. */
export function isoSegments(xs, ys, z, level) {
  const out = [];
  for (let j = 0; j + 1 < ys.length; j += 1) {
    for (let i = 0; i + 1 < xs.length; i += 1) {
      const c = [z[j][i], z[j][i + 1], z[j + 1][i + 1], z[j + 1][i]]; // corners counter-clockwise
      if (!c.every(Number.isFinite)) continue;
      const pts = cellCrossings(c, level, xs[i], xs[i + 1], ys[j], ys[j + 1]);
      for (let k = 0; k + 1 < pts.length; k += 2) out.push([...pts[k], ...pts[k + 1]]);
    }
  }
  return out;
}

/** The crossing points of one cell, paired up in order (2 or 4 points). */
function cellCrossings(c, level, x0, x1, y0, y1) {
  const corner = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const pts = [];
  for (let e = 0; e < 4; e += 1) {
    const a = c[e];
    const b = c[(e + 1) % 4];
    if ((a < level) !== (b < level)) {
      const t = cross(a, b, level);
      const [pa, pb] = [corner[e], corner[(e + 1) % 4]];
      pts.push([pa[0] + t * (pb[0] - pa[0]), pa[1] + t * (pb[1] - pa[1])]);
    }
  }
  if (pts.length === 4) {
    // Saddle: a centre on corner 0's side joins corners 0 and 2, cutting off corners 1 and 3
    // (edges 0+1 and 2+3); otherwise corners 0 and 2 are cut off (edges 3+0 and 1+2).
    const centre = (c[0] + c[1] + c[2] + c[3]) / 4;
    if ((centre < level) !== (c[0] < level)) return [pts[0], pts[3], pts[1], pts[2]];
  }
  return pts;
}

/** Segments of every level, each with its level index (for shading). */
export function contours(land, levels) {
  return levels.map((level, k) => ({ level, k, segments: isoSegments(land.xs, land.ys, land.loss, level) }));
}

/** Short arrows along the negative gradient at every `stride`-th grid point (central differences):
 *  [x, y, dx, dy] with (dx, dy) of length `length` in data units, perpendicular to the contours. */
export function descentArrows(land, stride = 5, length = null) {
  const { xs, ys, loss: z } = land;
  const len = length ?? 0.4 * stride * Math.min(xs[1] - xs[0], ys[1] - ys[0]);
  const out = [];
  for (let j = 1; j + 1 < ys.length; j += stride) {
    for (let i = 1; i + 1 < xs.length; i += stride) {
      const gx = (z[j][i + 1] - z[j][i - 1]) / (xs[i + 1] - xs[i - 1]);
      const gy = (z[j + 1][i] - z[j - 1][i]) / (ys[j + 1] - ys[j - 1]);
      const norm = Math.hypot(gx, gy);
      if (!Number.isFinite(norm) || norm === 0) continue;
      out.push([xs[i], ys[j], (-gx / norm) * len, (-gy / norm) * len]);
    }
  }
  return out;
}
