// The call tree's hash map of (parent, function) pairs: every pair found again after the
// table grows, zero keys included, and get-or-add keeping the first value.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PairIndex } from '../../webview/src/profiles/model/pairIndex.ts';

it('finds every pair it was given after growing many times, and nothing else', () => {
  const index = new PairIndex(1);
  const pairs: [number, number][] = [[0, 0]];
  for (let n = 0; n < 5000; n++) pairs.push([n, n + 1], [n * 7, 3]);
  pairs.forEach(([a, b], i) => assert.equal(index.getOrSet(a, b, i), -1));
  pairs.forEach(([a, b], i) => assert.equal(index.get(a, b), i));
  assert.equal(index.get(1, 0), -1);
  assert.equal(index.get(3, 3), -1);
  assert.equal(index.getOrSet(0, 0, 99), 0);
  index.set(0, 0, 42);
  assert.equal(index.get(0, 0), 42);
});
