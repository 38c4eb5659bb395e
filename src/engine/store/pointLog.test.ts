// The compact point columns give back exactly the points they were given, through
// eviction and compaction, whichever form each point took.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PointLog, type StoredPoint } from './pointLog.ts';

function point(i: number): StoredPoint {
  const time = (1_764_000_000_000_000_000n + BigInt(i) * 1_000_000_007n).toString();
  switch (i % 6) {
    case 0: return { startTimeUnixNano: '1764000000000000001', timeUnixNano: time, asDouble: i / 3 };
    case 1: return { timeUnixNano: time, asInt: String(-i) };
    case 2: return { timeUnixNano: time, asInt: '9223372036854775807' }; // beyond 2^53: kept whole
    case 3: return { timeUnixNano: time, asDouble: 1.5, exemplars: [{ asDouble: 2 }] };
    case 4: return { timeUnixNano: time, count: '3', sum: 6, bucketCounts: ['1', '2'], explicitBounds: [1] };
    default: return { asDouble: -0 };
  }
}

describe('PointLog', () => {
  it('gives back every live point exactly, oldest first, through eviction and compaction', () => {
    const log = new PointLog();
    const all: StoredPoint[] = [];
    let dropped = 0;
    for (let i = 0; i < 5000; i++) {
      all.push(point(i));
      log.push(point(i));
      // Evict in bursts, as the store does, so the columns compact and grow in turn.
      if (i % 700 === 699) for (let k = 0; k < 400; k++, dropped++) log.shift();
    }
    assert.equal(log.count, all.length - dropped);
    assert.deepEqual(log.toArray(), all.slice(dropped));
  });

  it('costs a few dozen bytes a number point, and frees what whole points held', () => {
    const log = new PointLog();
    for (let i = 0; i < 10_000; i++) log.push({ timeUnixNano: String(1_764_000_000_000_000_000n + BigInt(i)), asDouble: i });
    assert.ok(log.memoryBytes / 10_000 < 60, `${log.memoryBytes / 10_000} bytes a point`);
    const whole = new PointLog();
    const grew = whole.push({ timeUnixNano: '1', count: '1', bucketCounts: ['1'] });
    assert.ok(grew >= 480);
    assert.ok(whole.shift() >= 480);
    assert.equal(whole.count, 0);
  });
});

describe('PointLog room', () => {
  it('shrinks as points are evicted, and the bytes each call reports add up to what the log holds', () => {
    const log = new PointLog();
    let held = log.memoryBytes;
    for (let i = 0; i < 5000; i++) held += log.push(point(i));
    assert.equal(held, log.memoryBytes);
    const full = log.memoryBytes;
    for (let i = 0; i < 4990; i++) held -= log.shift();
    assert.equal(held, log.memoryBytes);
    assert.ok(log.memoryBytes < full / 50, `${log.memoryBytes} bytes held for 10 points (${full} for 5,000)`);
    assert.deepEqual(log.toArray(), Array.from({ length: 10 }, (_, k) => point(4990 + k)));
  });
});
