import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHash, encodeHash } from '../../static/js/share.js';

test('a program round-trips through the URL hash', () => {
  const p = { expression: 'x = 3\nf = x * y + 1 # comment & more', values: { y: -4.5 }, expand: ['n5'] };
  assert.deepEqual(decodeHash(encodeHash(p)), p);
});

test('expand-all and empty values round-trip', () => {
  const back = decodeHash(encodeHash({ expression: 'f = sigmoid(x)', values: {}, expand: true }));
  assert.deepEqual(back, { expression: 'f = sigmoid(x)', values: {}, expand: true });
});

test('hashes without a program, or with broken values, are handled', () => {
  assert.equal(decodeHash(''), null);
  assert.equal(decodeHash('#foo=1'), null);
  assert.deepEqual(decodeHash('#program=f%3Dx&values=%7Bbad').values, {});
});
