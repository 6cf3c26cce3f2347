import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexGraph } from '../../static/js/graph-state.js';
import {
  answerText, checkAnswer, parseNumber, parseNumbers, parseShape, pickElement, questionsFor, unravel,
} from '../../static/js/teach/practice-model.js';
import { magnitudeColor, magnitudeLevel } from '../../static/js/teach/diagnostics.js';
import { fanoutGraph } from './fixtures.js';

test('a gate asks what it sends back to each input; a fan-out asks the sum at its own step', () => {
  const index = indexGraph(fanoutGraph());
  assert.deepEqual(questionsFor(index, 'n3').map((q) => q.part), ['n3:0', 'n3:1']);
  assert.deepEqual(questionsFor(index, 'n2').map((q) => [q.part, q.truth]), [['n2:0', -4], ['n2:1', 3]]);
  assert.deepEqual(questionsFor(index, 'n1'), []); // y is used once: its contribution was asked already
  const [sum] = questionsFor(index, 'n0');
  assert.equal(sum.part, 'sum:n0');
  assert.equal(sum.truth, -3);
  assert.equal(sum.hints[2], '-4 + 1 = ?');
});

test('hints go from the rule to the formula to the numbers', () => {
  const [q] = questionsFor(indexGraph(fanoutGraph()), 'n2');
  assert.match(q.hints[0], /upstream × local/);
  assert.equal(q.hints[1].tex, '\\frac{\\partial (a b)}{\\partial a} = b'); // the edge's formula (the engine's)
  assert.equal(q.hints[2], '1 × -4 = ?');
  assert.match(questionsFor(indexGraph(fanoutGraph()), 'n3')[0].prompt, /the seed, 1/);
});

test('tensor questions: the shape first, then the whole matrix or one fixed element', () => {
  const g = fanoutGraph();
  const big = Array.from({ length: 4 }, (_, i) => [i, i + 0.5, -i]);
  g.nodes[0] = { ...g.nodes[0], shape: [4, 3], grad: big };
  g.edges[0] = { ...g.edges[0], contribution: big };
  g.edges[3] = { ...g.edges[3], contribution: big };
  const qs = questionsFor(indexGraph(g), 'n2');
  assert.deepEqual(qs.map((q) => q.ask), ['shape', 'element', 'value']);
  assert.deepEqual(qs[0].truth, [4, 3]);
  const at = qs[1].element;
  assert.equal(qs[1].truth, big[at[0]][at[1]]);
  g.nodes[0].shape = [1, 3];
  g.edges[0].contribution = [[1, 2, 3]];
  assert.deepEqual(questionsFor(indexGraph(g), 'n2').map((q) => q.ask), ['shape', 'whole', 'value']);
});

test('answers are read, never evaluated, and checked relative to the gradient size', () => {
  assert.equal(parseNumber('−0.5'), -0.5);
  assert.equal(parseNumber('1/4'), 0.25);
  assert.equal(parseNumber('1e-3'), 0.001);
  assert.equal(parseNumber('-inf'), -Infinity);
  assert.equal(parseNumber('2*3'), null);
  assert.equal(parseNumber('Math.PI'), null);
  assert.deepEqual(parseNumbers('[[1, 2], [3, 4]]'), [1, 2, 3, 4]);
  assert.deepEqual(parseNumbers('1 2; 3 4'), [1, 2, 3, 4]);
  assert.equal(parseNumbers('1 two'), null);
  assert.deepEqual(parseShape('2x3'), [2, 3]);
  assert.deepEqual(parseShape('(2, 3)'), [2, 3]);
  assert.deepEqual(parseShape('scalar'), []);
  const q = { ask: 'value', truth: -4 };
  assert.equal(checkAnswer('-4.03', q).ok, true);
  assert.equal(checkAnswer('-4.1', q).ok, false);
  assert.equal(checkAnswer('x', q).ok, false);
  assert.ok(checkAnswer('x', q).error);
  assert.equal(checkAnswer('0', { ask: 'value', truth: 0 }).ok, true);
  assert.equal(checkAnswer('1e-4', { ask: 'value', truth: 0 }).ok, false);
  assert.equal(checkAnswer('inf', { ask: 'value', truth: 'Infinity' }).ok, true);
  const whole = { ask: 'whole', truth: [100, 0.001] };
  assert.equal(checkAnswer('100 0.5', whole).ok, true); // within 1% of the matrix's size
  assert.equal(checkAnswer('100', whole).ok, false);
  assert.equal(checkAnswer(answerText({ ask: 'value', truth: 0.19661193 }), { ask: 'value', truth: 0.19661193 }).ok, true);
});

test('the chosen element is fixed per question and inside the tensor', () => {
  assert.equal(pickElement('n7:1', 12), pickElement('n7:1', 12));
  for (let k = 0; k < 24; k++) assert.ok(unravel(k, [2, 3, 4]).every((v, d) => v < [2, 3, 4][d]));
  assert.deepEqual(unravel(5, [2, 3]), [1, 2]);
});

test('the diagnostics colour scale is logarithmic', () => {
  assert.equal(magnitudeLevel(0.001), '-3');
  assert.equal(magnitudeLevel(0), 'zero');
  assert.equal(magnitudeLevel(null), 'none');
  assert.equal(magnitudeLevel('NaN'), 'nan');
  assert.notEqual(magnitudeColor(1e-6), magnitudeColor(1e2));
  assert.equal(magnitudeColor(1e-9), magnitudeColor(1e-6)); // clamped at the cold end
});

test('answers typed with a Chinese input method (full-width digits and signs) read as plain ones', () => {
  assert.equal(parseNumber('－０．２５'), -0.25);
  assert.equal(parseNumber('１／４'), 0.25);
  assert.deepEqual(parseNumbers('１，２；３ ４'), [1, 2, 3, 4]);
  assert.deepEqual(parseShape('２ｘ３'), [2, 3]);
  assert.deepEqual(parseShape('标量'), []);
});
