// Profiles under the engine's memory budget: oldest evicted first, and counted.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../engine.ts';
import { decodeFolded } from '../profiles/folded.ts';

function bigProfile(seed: number) {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) lines.push(`main;handler${seed};step${i};leaf${i % 17} ${i + 1}`);
  return decodeFolded(lines.join('\n'));
}

describe('profiles in the memory budget', () => {
  it('evicts the oldest profiles first and counts them in /api/status', () => {
    const one = bigProfile(0);
    const engine = new Engine({ memoryBudgetBytes: 1 });
    const size = (() => {
      const probe = new Engine({ memoryBudgetBytes: 1e12 });
      probe.addProfile(one, 'probe', 'import');
      return probe.memoryBytes;
    })();
    engine.options.memoryBudgetBytes = size * 3.5;
    const ids = [0, 1, 2, 3, 4].map((i) => engine.addProfile(bigProfile(i), `p${i}`, 'import'));
    assert.deepEqual(engine.profiles.list().map((p) => p.id), ids.slice(2));
    const status = engine.status('test');
    assert.equal(status.counts.profiles, 3);
    assert.equal(status.dropped.profiles, 2);
    assert.ok(status.memoryBytes <= size * 3.5);
    assert.equal(engine.profiles.get(ids[0]), undefined);
  });

  it('clear empties the store', () => {
    const engine = new Engine({ memoryBudgetBytes: 1e12 });
    engine.addProfile(bigProfile(1), 'p', 'import');
    engine.clear();
    assert.equal(engine.status('test').counts.profiles, 0);
    // Back to what an empty engine holds (the stores' preallocated columns).
    assert.equal(engine.memoryBytes, new Engine({ memoryBudgetBytes: 1e12 }).memoryBytes);
  });
});
