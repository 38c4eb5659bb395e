// The decoders against random and damaged input, a bounded number of inputs each (the
// long run is `npm run fuzz -- --seconds N`). Each either decodes — and then
// round-trips — or throws its documented error with a message; nothing else escapes,
// nothing is slow, nothing holds memory the input does not justify. They run in a
// worker thread under the watchdog, so a decoder that never returns fails its test
// instead of hanging the suite.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FuzzFailure, runTarget } from './runner.ts';
import { FUZZ_TARGETS, type FuzzTarget } from './targets.ts';
import { FuzzWorker } from './watchdog.ts';

/** Inputs per target in `npm test`: about half a second each on a quiet two-core machine. */
const ITERATIONS = 200;

const worker = new FuzzWorker({ hangMs: 20_000 });
after(() => worker.close());

describe('fuzzing every decoder', () => {
  for (const target of FUZZ_TARGETS) {
    it(target.name, async () => {
      const stats = await worker.run(target.name, { seed: 0x10c5e, iterations: ITERATIONS, perInputMs: 3000, ...target.testBounds });
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

  it('passes a decoder that only ever decodes or throws its documented error', async () => {
    const stats = await run(target((b) => { if (!b.equals(seed)) throw new Documented('not the seed, as expected'); }));
    assert.equal(stats.inputs, 51);
  });

  it('fails on an undocumented error, naming the seed that reproduces it', async () => {
    await assert.rejects(run(target((b) => { if (!b.equals(seed)) (undefined as unknown as { x: number }).x; })), (e: unknown) => e instanceof FuzzFailure && /TypeError[\s\S]*--seed 1/.test(e.message));
  });

  it('fails on a slow input and on memory the input does not justify', async () => {
    await assert.rejects(run(target((b) => { if (!b.equals(seed)) { const end = Date.now() + 300; while (Date.now() < end); } })), /took \d+ ms/);
    const hoarder = target((b) => { if (!b.equals(seed)) held.push(new Uint8Array(200 * 1048576)); });
    await assert.rejects(runTarget(hoarder, [seed], { seed: 1, iterations: 1, perInputMs: 60_000 }), /held \d+ MiB/);
    held.length = 0;
  });

  it('times an asynchronous decoder to the end of what it started', async () => {
    const slow = target(async (b) => { if (!b.equals(seed)) await new Promise((r) => setTimeout(r, 300)); });
    await assert.rejects(run(slow), /took \d+ ms/);
  });

  const probes = join(__dirname, 'probeTargets.ts');

  it('stops a decoder that never returns, and saves the input it was given', async () => {
    const watched = new FuzzWorker({ hangMs: 1500, targetsModule: probes });
    try {
      const failure = await watched.run('loops-forever', { seed: 7, iterations: 5, perInputMs: 1000 }).then(() => undefined, (e: unknown) => e);
      assert.ok(failure instanceof FuzzFailure, String(failure));
      assert.match(failure.message, /loops-forever seed 7 iteration 0: still decoding after \d+ ms/);
      const saved = /saved to (\S+)/.exec(failure.message)![1];
      assert.ok(existsSync(saved));
      assert.ok(!readFileSync(saved).equals(Buffer.from('0123456789abcdef')), 'the mutated input, not the seed');
      assert.ok(failure.message.includes(`reproduce: npm run fuzz -- --target loops-forever --input ${saved}`), failure.message);
      // The saved input hangs again, and the next job gets a fresh worker.
      await assert.rejects(watched.run('loops-forever', { seed: 7, perInputMs: 1000, only: { where: 'saved', bytes: readFileSync(saved) } }), /saved: still decoding/);
    } finally {
      await watched.close();
    }
  });

  it('stops a decoder that allocates without end, and names the input', async () => {
    const watched = new FuzzWorker({ hangMs: 60_000, heapMb: 64, targetsModule: probes });
    try {
      await assert.rejects(watched.run('hoards-memory', { seed: 3, iterations: 5, perInputMs: 60_000 }), /hoards-memory seed 3 iteration 0: ran out of memory \(worker heap limit 64 MiB\)[\s\S]*saved to/);
    } finally {
      await watched.close();
    }
  });
});
