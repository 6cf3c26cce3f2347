import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  divergingColor, flatten, sliderRange, formatNumber, formatRelError, formatShape, gradLabel, maxAbs, norm, toMatrix, toNumber, valueLabel,
} from '../../static/js/format.js';

test('non-finite strings from the API become JS numbers', () => {
  assert.ok(Number.isNaN(toNumber('NaN')));
  assert.equal(toNumber('Infinity'), Infinity);
  assert.equal(toNumber('-Infinity'), -Infinity);
  assert.equal(toNumber(2.5), 2.5);
});

test('non-finite numbers display as NaN, ∞ and −∞', () => {
  assert.equal(formatNumber('NaN'), 'NaN');
  assert.equal(formatNumber('Infinity'), '∞');
  assert.equal(formatNumber('-Infinity'), '−∞');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(null), '—');
});

test('numbers use 4 significant digits without trailing zeros', () => {
  assert.equal(formatNumber(0.7310585786), '0.7311');
  assert.equal(formatNumber(-0.19661193), '-0.1966');
  assert.equal(formatNumber(2), '2');
  assert.equal(formatNumber(-3), '-3');
  assert.equal(formatNumber(1.5), '1.5');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(1234.5678), '1235');
});

test('very small and very large numbers use a short exponent form', () => {
  assert.equal(formatNumber(1.234e-7), '1.23e-7');
  assert.equal(formatNumber(-2e8), '-2e8');
  assert.equal(formatNumber(0.00999), '0.00999');
});

test('shapes', () => {
  assert.equal(formatShape([]), 'scalar');
  assert.equal(formatShape([3]), '3');
  assert.equal(formatShape([2, 3]), '2×3');
});

test('flatten and toMatrix fold any rank into rows', () => {
  assert.deepEqual(flatten([[1, 'NaN'], [3, 4]]).map(String), ['1', 'NaN', '3', '4']);
  assert.deepEqual(toMatrix([[1, 2], [3, 4]], [2, 2]), [[1, 2], [3, 4]]);
  assert.deepEqual(toMatrix([1, 2, 3], [3]), [[1, 2, 3]]);
  assert.deepEqual(toMatrix(5, []), [[5]]);
  assert.deepEqual(toMatrix([[[1, 2]], [[3, 4]]], [2, 1, 2]), [[1, 2], [3, 4]]);
});

test('wire labels: numbers for scalars, short vectors inline, shapes for tensors', () => {
  assert.equal(valueLabel(-0.2, []), '-0.2');
  assert.equal(valueLabel([1, 2], [2]), '[1, 2]');
  assert.equal(valueLabel([[1, 2], [3, 4]], [2, 2]), '2×2');
  assert.equal(gradLabel([[3, 4], [0, 0]], [2, 2]), '‖∇‖ 5');
  assert.equal(gradLabel(null, []), '');
});

test('norms and colour scale', () => {
  assert.equal(norm([3, 4]), 5);
  assert.equal(maxAbs([1, -7, 'Infinity']), 7);
  assert.equal(divergingColor(0, 1), 'rgb(255, 255, 255)');
  assert.notEqual(divergingColor(1, 1), divergingColor(-1, 1));
  assert.equal(divergingColor(NaN, 1), '#d9d9d9');
});

test('relative errors', () => {
  assert.equal(formatRelError(3.2e-10), '3.2e-10');
  assert.equal(formatRelError(0), '0');
  assert.equal(formatRelError('NaN'), 'NaN');
});

test('slider ranges use round steps around the value', () => {
  assert.deepEqual(sliderRange(3), { min: -3, max: 9, step: 0.01 });
  assert.deepEqual(sliderRange(0), { min: -1, max: 1, step: 0.01 });
  assert.deepEqual(sliderRange(-400), { min: -1200, max: 400, step: 1 });
  assert.deepEqual(sliderRange(NaN), { min: -1, max: 1, step: 0.01 });
});
