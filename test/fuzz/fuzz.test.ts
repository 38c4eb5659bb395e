// The decoders against random and damaged input, a bounded number of inputs each (the
// long run is `npm run fuzz -- --seconds N`). Each either decodes — and then
// round-trips — or throws its documented error with a message; nothing else escapes,
// nothing is slow, nothing holds memory the input does not justify.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FuzzFailure, runTarget } from './runner.ts';
import { seeds } from './seeds.ts';
import { FUZZ_TARGETS, stopFuzzEngine, type FuzzTarget } from './targets.ts';

/** Inputs per target in `npm test`: about half a second each on a quiet two-core machine. */
const ITERATIONS = 200;

after(() => stopFuzzEngine());

describe('fuzzing every decoder', () => {
  for (const target of FUZZ_TARGETS) {
    it(target.name, async () => {
      const stats = runTarget(target, target.seeds(await seeds()), { seed: 0x10c5e, iterations: ITERATIONS, perInputMs: 3000 });
      assert.ok(stats.rejected > 0, 'the mutations produce invalid input');
      assert.ok(stats.decoded > 0, 'and some that still decodes');
    });
  }
});

describe('the fuzz harness itself', () => {
  class Documented extends Error {}
  const seed = Buffer.from('0123456789abcdef');
  const target = (decode: (b: Buffer) => void): FuzzTarget => ({ name: 'probe', seeds: () => [seed], rejects: (e) => e instanceof Documented, decode });
  const run = (t: FuzzTarget) => runTarget(t, [seed], { seed: 1, iterations: 50, perInputMs: 200 });
  const held: unknown[] = [];

  it('passes a decoder that only ever decodes or throws its documented error', () => {
    const stats = run(target((b) => { if (!b.equals(seed)) throw new Documented('not the seed, as expected'); }));
    assert.equal(stats.inputs, 51);
  });

  it('fails on an undocumented error, naming the seed that reproduces it', () => {
    assert.throws(() => run(target((b) => { if (!b.equals(seed)) (undefined as unknown as { x: number }).x; })), (e: unknown) => e instanceof FuzzFailure && /TypeError[\s\S]*--seed 1/.test(e.message));
  });

  it('fails on a slow input and on memory the input does not justify', () => {
    assert.throws(() => run(target((b) => { if (!b.equals(seed)) { const end = Date.now() + 300; while (Date.now() < end); } })), /took \d+ ms/);
    const hoarder = target((b) => { if (!b.equals(seed)) held.push(new Uint8Array(200 * 1048576)); });
    assert.throws(() => runTarget(hoarder, [seed], { seed: 1, iterations: 1, perInputMs: 60_000 }), /held \d+ MiB/);
    held.length = 0;
  });
});
