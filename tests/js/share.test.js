import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHash, encodeHash, encodeLink } from '../../static/js/share.js';

test('a program round-trips through the URL hash', () => {
  const p = { expression: 'x = 3\nf = x * y + 1 # comment & more', values: { y: -4.5 }, expand: ['n5'], fold: [] };
  assert.deepEqual(decodeHash(encodeHash(p)), p);
});

test('expand-all and empty values round-trip', () => {
  const back = decodeHash(encodeHash({ expression: 'f = sigmoid(x)', values: {}, expand: true }));
  assert.deepEqual(back, { expression: 'f = sigmoid(x)', values: {}, expand: true, fold: [] });
});

test('hashes without a program, or with broken values, are handled', () => {
  assert.equal(decodeHash(''), null);
  assert.equal(decodeHash('#foo=1'), null);
  assert.deepEqual(decodeHash('#program=f%3Dx&values=%7Bbad').values, {});
});

test('fold choices round-trip: opened composites and calls, and calls folded against the default', () => {
  const p = { expression: 'def f(a): return a * 2\ny = f(x)\nz = f(y)\ns = sigmoid(z)', values: { x: 0.5 }, expand: ['n9', 'n4.1'], fold: ['n2', 'n5'] };
  const hash = encodeHash(p);
  assert.match(hash, /&fold=n2%2Cn5/);
  assert.deepEqual(decodeHash(hash), p);
  // expand-all with folded calls, and a link without folds (older links) decode to no folds
  assert.deepEqual(decodeHash(encodeHash({ ...p, expand: true })).fold, ['n2', 'n5']);
  assert.deepEqual(decodeHash(encodeHash({ ...p, fold: [] })).fold, []);
  assert.deepEqual(decodeHash('#program=f%3Dx').fold, []);
});

test('a long link drops values, never the fold choices', () => {
  const p = { expression: 'f = sum(W)', values: { W: Array.from({ length: 3000 }, (_, i) => i / 7) }, expand: ['n3'], fold: ['n7'] };
  const { hash, omitted } = encodeLink(p, 2000);
  assert.deepEqual(omitted, ['W']);
  const back = decodeHash(hash);
  assert.deepEqual([back.expand, back.fold, back.values], [['n3'], ['n7'], {}]);
});
