// The call tree's typed columns: nodes made past the expected count keep their parent,
// function and weights, and totals add each subtree up.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CallTree } from '../../webview/src/profiles/model/callTree.ts';

it('keeps every node, its parent, function and weights when it grows past the expected size', () => {
  const tree = new CallTree(2, 1);
  let node = 0;
  for (let depth = 0; depth < 100; depth++) {
    node = tree.child(node, depth % 7);
    tree.add(node, 1, depth % 2);
  }
  assert.equal(tree.child(0, 0), 1);
  assert.equal(tree.size, 101);
  assert.deepEqual([...tree.parent.subarray(0, 4)], [-1, 0, 1, 2]);
  assert.deepEqual([...tree.func.subarray(95)], [3, 4, 5, 6, 0, 1]);
  const [even, odd] = tree.totals();
  assert.deepEqual([even[0], odd[0], even[1], odd[100]], [50, 50, 50, 1]);
  assert.deepEqual([tree.self[0][99], tree.self[1][99]], [1, 0]);
});
