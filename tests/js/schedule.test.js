import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeStep, buildSchedule, describeStep, edgeVisibility, statesAt } from '../../static/js/schedule.js';
import { fanoutGraph } from './fixtures.js';

test('the schedule is the forward order then the backward order', () => {
  const s = buildSchedule(fanoutGraph());
  assert.equal(s.length, 8);
  assert.equal(s.forwardCount, 4);
  assert.deepEqual(s.steps.slice(0, 4).map((x) => x.kind), ['forward', 'forward', 'forward', 'forward']);
  assert.deepEqual(s.steps.slice(4).map((x) => x.node), ['n3', 'n2', 'n1', 'n0']);
});

test('nodes missing from the orders still get steps', () => {
  const g = fanoutGraph();
  g.forward = ['n0'];
  g.backward = [];
  const s = buildSchedule(g);
  assert.equal(s.length, 8);
  assert.deepEqual(s.steps.slice(4).map((x) => x.node), ['n3', 'n2', 'n1', 'n0']);
});

test('states: pending, then forward, then backward', () => {
  const s = buildSchedule(fanoutGraph());
  assert.deepEqual([...statesAt(s, 0).values()], ['pending', 'pending', 'pending', 'pending']);
  const mid = statesAt(s, 5);
  assert.equal(mid.get('n3'), 'backward');
  assert.equal(mid.get('n2'), 'forward');
  assert.deepEqual([...statesAt(s, 8).values()], ['backward', 'backward', 'backward', 'backward']);
  assert.deepEqual(statesAt(s, 99), statesAt(s, 8));
});

test('a wire shows its value after its source runs and its gradient after its consumer runs backward', () => {
  const g = fanoutGraph();
  const s = buildSchedule(g);
  const e = g.edges.find((x) => x.id === 'n3:1');
  assert.deepEqual(edgeVisibility(e, statesAt(s, 0)), { value: false, grad: false });
  assert.deepEqual(edgeVisibility(e, statesAt(s, 1)), { value: true, grad: false });
  assert.deepEqual(edgeVisibility(e, statesAt(s, 5)), { value: true, grad: true });
});

test('active step and its description', () => {
  const s = buildSchedule(fanoutGraph());
  assert.equal(activeStep(s, 0), null);
  assert.deepEqual(activeStep(s, 5), { kind: 'backward', node: 'n3' });
  assert.match(describeStep(s, 5, (id) => id), /^Backward 5\/8 · n3$/);
  assert.match(describeStep(s, 0, (id) => id), /^Start/);
  assert.match(describeStep(s, 8, (id) => id), /^Done · 4 forward \+ 4 backward/);
});
