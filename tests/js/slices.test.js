import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSlicer, frameShare, mapSliced, nextTask } from '../../static/js/slices.js';

/** A slicer on a fake clock that `work(ms)` moves; pauses are counted, not waited for. */
function fakeSlicer(budget, alive = () => true) {
  const clock = { t: 0, waits: 0 };
  const slicer = createSlicer({ budget, alive, now: () => clock.t, wait: async () => void clock.waits++ });
  return { clock, slicer, work: (ms) => void (clock.t += ms) };
}

test('a piece is due once it has run over its budget, and a pause starts a new one', async () => {
  const { clock, slicer, work } = fakeSlicer(10);
  work(10);
  assert.equal(slicer.due(), false);
  work(1);
  assert.equal(slicer.due(), true);
  assert.equal(await slicer.pause(), true);
  assert.equal(slicer.due(), false);
  assert.equal(clock.waits, 1);
  assert.equal(slicer.pieces, 2);
});

test('step pauses only when due', async () => {
  const { clock, slicer, work } = fakeSlicer(10);
  work(5);
  assert.equal(await slicer.step(), true);
  assert.equal(clock.waits, 0);
  work(6);
  assert.equal(await slicer.step(), true);
  assert.equal(clock.waits, 1);
});

test('restart begins a new piece without waiting', () => {
  const { clock, slicer, work } = fakeSlicer(10);
  work(50); // waited for the worker, say
  slicer.restart();
  assert.equal(slicer.due(), false);
  assert.equal(clock.waits, 0);
});

test('a new budget applies from the next check', () => {
  const { slicer, work } = fakeSlicer(30);
  work(10);
  assert.equal(slicer.due(), false);
  slicer.budget = 8;
  assert.equal(slicer.due(), true);
});

test('without a budget nothing is ever due', async () => {
  const { clock, slicer, work } = fakeSlicer(null);
  work(1e6);
  assert.equal(slicer.due(), false);
  assert.deepEqual(await mapSliced([1, 2, 3], (x) => x * 2, slicer), [2, 4, 6]);
  assert.equal(clock.waits, 0);
});

test('mapSliced cuts the items into pieces of the budget and keeps their order', async () => {
  const { clock, slicer, work } = fakeSlicer(10);
  const out = await mapSliced([...Array(10).keys()], (x, i) => {
    work(4); // three items fit a piece of 10 ms (the third runs past it)
    return [x, i];
  }, slicer);
  assert.deepEqual(out, [...Array(10).keys()].map((x) => [x, x]));
  assert.equal(clock.waits, 3); // pieces of items 0-2, 3-5, 6-8, 9
});

test('a superseded job stops at its next pause', async () => {
  let live = true;
  const { slicer, work } = fakeSlicer(10, () => live);
  const seen = [];
  const out = await mapSliced([0, 1, 2, 3], (x) => {
    seen.push(x);
    work(11);
    live = x < 1;
    return x;
  }, slicer);
  assert.equal(out, null);
  assert.deepEqual(seen, [0, 1]);
  assert.equal(await slicer.step(), false);
});

test('nextTask resolves in a later task, not among the current one\'s microtasks', async () => {
  let done = false;
  const later = nextTask().then(() => {
    done = true;
  });
  for (let i = 0; i < 100; i++) await Promise.resolve(); // the microtask queue drained many times
  assert.equal(done, false);
  await later;
  assert.equal(done, true);
});

test('a piece that ends a frame gets the share of the frame its script had in the last one', async () => {
  const share = frameShare({ frame: 45, min: 3, max: 16 });
  assert.equal(share(12, 78), 6); // the browser took 78 ms for what 12 ms of script made
  assert.equal(share(12, 4), 16); // a light frame: the most
  assert.equal(share(12, 1000), 3); // a stalled one: the least
  const clock = { t: 0 };
  const slicer = createSlicer({ budget: 12, now: () => clock.t, adapt: share, wait: async () => void (clock.t += 78) });
  clock.t += 12;
  assert.equal(slicer.due(), false);
  clock.t += 1;
  await slicer.pause(); // a 13 ms piece, then 78 ms until the next frame
  assert.ok(Math.abs(slicer.budget - (45 * 13) / 91) < 1e-9);
});

test('after a light frame the next piece at most doubles', () => {
  const rule = frameShare({ frame: 50, min: 3, max: 32 });
  assert.equal(rule(5, 45), 5); // a heavy frame: 5 ms of script in a 50 ms frame, kept
  assert.equal(rule(5, 5), 10); // a light one: 25 ms would fit, but only twice the last piece
  assert.equal(rule(20, 5), 32); // the most
});
