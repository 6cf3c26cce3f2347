import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contourLevels, contours, descentArrows, isoSegments, rangeAround, squareRanges,
} from '../../static/js/train/contour.js';
import {
  extent, linePath, linearScale, logScale, logTicks, lossCurve, lossScale, niceTicks, thinIndices,
} from '../../static/js/train/plot.js';
import { initSpecs, mergeChunk, emptyRun, planChunks, train } from '../../static/js/train/session.js';

test('scales map domains to ranges', () => {
  const s = linearScale([0, 10], [100, 200]);
  assert.equal(s(0), 100);
  assert.equal(s(5), 150);
  assert.equal(linearScale([3, 3], [0, 10])(3), 5);
  const l = logScale([1, 1000], [0, 30]);
  assert.equal(l(10), 10);
  assert.equal(l(0), 0); // clamped to the domain's low end
  assert.equal(lossScale([1, 1e-4], [0, 1]).kind, 'log');
  assert.equal(lossScale([5, 1], [0, 1]).kind, 'linear');
  assert.equal(lossScale([-1, 1e3], [0, 1]).kind, 'linear');
});

test('ticks are round numbers', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0.13, 0.61, 4), [0.2, 0.4, 0.6]);
  assert.deepEqual(logTicks(0.003, 20), [0.01, 0.1, 1, 10]);
  assert.deepEqual(niceTicks(1, 1), [1]);
});

test('thinning keeps the ends and bounds the count', () => {
  assert.deepEqual(thinIndices(5, 10), [0, 1, 2, 3, 4]);
  const idx = thinIndices(10001, 200);
  assert.ok(idx.length <= 200);
  assert.equal(idx[0], 0);
  assert.equal(idx.at(-1), 10000);
  assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
});

test('paths break at non-finite points', () => {
  assert.equal(linePath([[0, 0], [1, 1], [NaN, 2], [3, 3]]), 'M0.0,0.0L1.0,1.0M3.0,3.0');
  assert.deepEqual(extent([3, NaN, -1, Infinity]), [-1, 3]);
  assert.equal(extent([NaN]), null);
  const c = lossCurve([4, 2, 1], { x: 0, y: 0, width: 100, height: 50 });
  assert.ok(c.path.startsWith('M0.0,0.0'));
  assert.ok(c.path.endsWith('L100.0,50.0'));
});

test('contour ranges pad the path and can be made square', () => {
  assert.deepEqual(rangeAround([1, -1]), [-1.5, 1.5]);
  assert.deepEqual(rangeAround([2, 2]), [1.5, 2.5]);
  const [xr, yr] = squareRanges([0, 1], [0, 4]);
  assert.equal(xr[1] - xr[0], 4);
  assert.deepEqual(yr, [0, 4]);
});

test('marching squares finds a circle on the bowl', () => {
  const xs = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
  const ys = xs;
  const z = ys.map((y) => xs.map((x) => x * x + y * y));
  const segs = isoSegments(xs, ys, z, 1);
  assert.ok(segs.length > 20);
  for (const [x1, y1, x2, y2] of segs) {
    assert.ok(Math.abs(Math.hypot(x1, y1) - 1) < 0.02);
    assert.ok(Math.abs(Math.hypot(x2, y2) - 1) < 0.02);
  }
  const levels = contourLevels(z, 5);
  assert.equal(levels.length, 5);
  assert.ok(levels.every((l, k) => k === 0 || l > levels[k - 1]));
  assert.equal(contours({ xs, ys, loss: z }, levels).length, 5);
  assert.deepEqual(contourLevels([[1, 1], [1, 1]]), []);
});

test('descent arrows point downhill, towards the centre of the bowl', () => {
  const xs = Array.from({ length: 21 }, (_, i) => -2 + i * 0.2);
  const z = xs.map((y) => xs.map((x) => x * x + y * y));
  const arrows = descentArrows({ xs, ys: xs, loss: z }, 5, 0.3);
  assert.ok(arrows.length >= 9);
  for (const [x, y, dx, dy] of arrows) {
    assert.ok(Math.abs(Math.hypot(dx, dy) - 0.3) < 1e-9);
    assert.ok(x * dx + y * dy < 0); // towards the minimum at the origin
  }
});

test('saddle cells give two separate segments', () => {
  // Corners 0 and 2 high, 1 and 3 low, centre low: corners 0 and 2 are cut off.
  const segs = isoSegments([0, 1], [0, 1], [[1, 0], [0, 1]], 0.6);
  assert.equal(segs.length, 2);
});

test('chunks add up and the random start covers tensors only', () => {
  assert.deepEqual(planChunks(25, 10), [3, 3, 3, 3, 3, 3, 3, 3, 1]);
  assert.deepEqual(planChunks(1, 10), [1]);
  assert.deepEqual(planChunks(0), []);
  assert.ok(planChunks(1e6, 10, 5000).every((n) => n <= 5000));
  assert.deepEqual(initSpecs({ W1: [2, 4], b1: [1, 4], x: [] }, ['W1', 'b1', 'x']), {
    W1: { shape: [2, 4], dist: 'normal' }, b1: { shape: [1, 4], dist: 'zeros' },
  });
});

test('merging chunks shifts trajectory steps and joins losses', () => {
  const run = emptyRun();
  mergeChunk(run, { losses: [3, 2], steps: 2, values: { x: 1 }, state: { t: 2 },
    trajectory: { steps: [0, 2], values: { x: [5, 3] } } });
  mergeChunk(run, { losses: [1], steps: 1, values: { x: 0.5 }, state: { t: 3 },
    trajectory: { steps: [0, 1], values: { x: [3, 0.5] } } });
  assert.deepEqual(run.losses, [3, 2, 1]);
  assert.deepEqual(run.trajectory.steps, [0, 2, 3]);
  assert.deepEqual(run.trajectory.values.x, [5, 3, 0.5]);
  assert.equal(run.steps, 3);
  assert.deepEqual(run.state, { t: 3 });
  mergeChunk(run, { losses: [], steps: 0, values: {}, state: { t: 3 }, stopped: 'time_budget' });
  assert.equal(run.cut, true);
  assert.equal(run.stopped, null);
});

test('train sends state and values onward, init only first, and stops when asked', async () => {
  const bodies = [];
  const post = async (body) => {
    bodies.push(body);
    const x = (body.values.x ?? 4) - body.steps;
    return { losses: Array(body.steps).fill(x), steps: body.steps, values: { x }, state: { t: (body.state?.t || 0) + body.steps },
      trajectory: { steps: [0, body.steps], values: { x: [x + body.steps, x] } } };
  };
  const run = await train({ expression: 'f = x', values: { x: 4 }, steps: 6, init: { W: {} } }, { post, chunks: 3 });
  assert.equal(bodies.length, 3);
  assert.ok('init' in bodies[0] && !('init' in bodies[1]));
  assert.equal(bodies[1].values.x, 2);
  assert.deepEqual(bodies[2].state, { t: 4 });
  assert.equal(run.values.x, -2);
  let calls = 0;
  const stopped = await train({ values: {}, steps: 10 }, { post, chunks: 10, shouldStop: () => ++calls > 2 });
  assert.equal(stopped.stopped, 'stopped');
  assert.equal(stopped.steps, 2);
});
