// The decoders against random and damaged input, a bounded number of inputs each (the
// long run is `npm run fuzz -- --seconds N`). Each either decodes — and then
// round-trips — or throws its documented error with a message; nothing else escapes,
// nothing is slow, nothing holds memory the input does not justify.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runTarget } from './runner.ts';
import { seeds } from './seeds.ts';
import { FUZZ_TARGETS, stopFuzzEngine } from './targets.ts';

/** Inputs per target in `npm test`: about a second each on a loaded two-core machine. */
const ITERATIONS = 300;

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
