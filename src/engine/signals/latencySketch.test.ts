// Percentiles from the sketch against exact percentiles of generated distributions, and
// the measurement that chose it over @datadog/sketches-js (printed, not asserted).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DDSketch } from '@datadog/sketches-js';
import { LatencySketch, RELATIVE_ACCURACY } from './latencySketch.ts';

/** A seeded generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const MS = 1e6;
const QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

const DISTRIBUTIONS: Record<string, (n: number, rand: () => number) => number[]> = {
  'uniform 1–500 ms': (n, rand) => Array.from({ length: n }, () => (1 + 499 * rand()) * MS),
  'log-normal around 20 ms': (n, rand) => Array.from({ length: n }, () => Math.exp(Math.log(20 * MS) + 1.2 * normal(rand))),
  'bimodal 2 ms cache hits and 300 ms misses': (n, rand) => Array.from({ length: n }, () =>
    rand() < 0.7 ? 2 * MS * (1 + 0.1 * normal(rand)) : 300 * MS * (1 + 0.2 * Math.abs(normal(rand)))),
  'a single value': (n) => Array.from({ length: n }, () => 42.123 * MS),
  'one huge outlier': (n, rand) => [...Array.from({ length: n - 1 }, () => (5 + rand()) * MS), 3_600_000 * MS],
  'sub-microsecond to minutes': (n, rand) => Array.from({ length: n }, () => Math.exp(Math.log(500) + 24 * rand())),
};

function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

function worstError(values: number[], quantile: (q: number) => number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let worst = 0;
  for (const q of QUANTILES) {
    const want = exact(sorted, q);
    worst = Math.max(worst, Math.abs(quantile(q) - want) / want);
  }
  return worst;
}

describe('LatencySketch percentiles', () => {
  for (const [name, generate] of Object.entries(DISTRIBUTIONS)) {
    it(`are within 1 % of the exact ones for ${name}`, () => {
      for (const [n, seed] of [[1, 1], [7, 2], [1000, 3], [100_000, 4]]) {
        const values = generate(n, random(seed));
        const sketch = new LatencySketch();
        for (const v of values) sketch.add(v);
        const error = worstError(values, (q) => sketch.quantile(q));
        assert.ok(error <= RELATIVE_ACCURACY + 1e-9, `${name}, ${n} values: worst relative error ${(error * 100).toFixed(3)} %`);
        assert.ok(error <= 0.01);
        assert.equal(sketch.count, n);
        assert.deepEqual(sketch.quantiles(QUANTILES), QUANTILES.map((q) => sketch.quantile(q)));
      }
    });
  }

  it('stay within 1 % of the values left after others are taken out (evicted spans)', () => {
    const values = DISTRIBUTIONS['log-normal around 20 ms'](20_000, random(5));
    const sketch = new LatencySketch();
    for (const v of values) sketch.add(v);
    // Take out the older half, as eviction does, and a value in no bin held (ignored).
    for (const v of values.slice(0, 10_000)) sketch.remove(v);
    sketch.remove(3_600_000 * MS);
    const kept = values.slice(10_000);
    assert.equal(sketch.count, kept.length);
    const inner = QUANTILES.filter((q) => q > 0 && q < 1);
    const sorted = [...kept].sort((a, b) => a - b);
    for (const q of inner) {
      const want = exact(sorted, q);
      assert.ok(Math.abs(sketch.quantile(q) - want) / want <= RELATIVE_ACCURACY + 1e-9, `q ${q}: ${sketch.quantile(q)} vs ${want}`);
    }
    for (const v of kept) sketch.remove(v);
    assert.equal(sketch.count, 0);
    assert.equal(sketch.percentileMs(0.5), 0);
  });

  it('give the same answers merged from parts as from the whole', () => {
    const values = DISTRIBUTIONS['bimodal 2 ms cache hits and 300 ms misses'](30_000, random(9));
    const whole = new LatencySketch();
    for (const v of values) whole.add(v);
    const merged = new LatencySketch();
    for (let part = 0; part < 10; part++) {
      const s = new LatencySketch();
      for (const v of values.slice(part * 3000, part * 3000 + 3000)) s.add(v);
      merged.merge(s);
    }
    for (const q of QUANTILES) assert.equal(merged.quantile(q), whole.quantile(q));
    assert.equal(merged.count, whole.count);
    assert.equal(worstError(values, (q) => merged.quantile(q)) <= RELATIVE_ACCURACY + 1e-9, true);
  });

  it('start afresh after reset, keeping nothing of what they held', () => {
    const s = new LatencySketch();
    for (const v of [1e6, 5e6, 9e9]) s.add(v);
    s.reset();
    assert.equal(s.count, 0);
    assert.ok(Number.isNaN(s.quantile(0.5)));
    s.add(2e6);
    assert.equal(s.quantile(0.99), 2e6);
  });

  it('count zero durations and answer NaN when empty', () => {
    const s = new LatencySketch();
    assert.ok(Number.isNaN(s.quantile(0.5)));
    s.add(0);
    s.add(0);
    s.add(10 * MS);
    assert.equal(s.quantile(0.5), 0);
    assert.equal(s.quantile(1), 10 * MS);
  });

  it('measured against @datadog/sketches-js at the same accuracy (printed)', () => {
    const values = DISTRIBUTIONS['log-normal around 20 ms'](200_000, random(5));
    const parts = 100;
    const per = values.length / parts;
    const time = (f: () => void) => { const t = performance.now(); f(); return performance.now() - t; };
    const ours: LatencySketch[] = [];
    const theirs: DDSketch[] = [];
    const oursAdd = time(() => { for (let p = 0; p < parts; p++) { const s = new LatencySketch(); for (let i = p * per; i < (p + 1) * per; i++) s.add(values[i]); ours.push(s); } });
    const theirsAdd = time(() => { for (let p = 0; p < parts; p++) { const s = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }); for (let i = p * per; i < (p + 1) * per; i++) s.accept(values[i]); theirs.push(s); } });
    const oursMerged = new LatencySketch();
    const theirsMerged = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
    const oursMerge = time(() => { for (const s of ours) oursMerged.merge(s); });
    const theirsMerge = time(() => { for (const s of theirs) theirsMerged.merge(s); });
    const oursError = worstError(values, (q) => oursMerged.quantile(q));
    const theirsError = worstError(values, (q) => theirsMerged.getValueAtQuantile(q));
    console.log(`  LatencySketch: add ${oursAdd.toFixed(1)} ms, merge ${parts} ${oursMerge.toFixed(2)} ms, worst error ${(oursError * 100).toFixed(3)} %, ${ours[0].memoryBytes} bytes per part`);
    console.log(`  DDSketch:      add ${theirsAdd.toFixed(1)} ms, merge ${parts} ${theirsMerge.toFixed(2)} ms, worst error ${(theirsError * 100).toFixed(3)} %`);
    assert.ok(oursError <= 0.01 && theirsError <= 0.01);
  });
});
