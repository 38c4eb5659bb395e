// The signals view's state and the changes it writes: what survives a reload, which
// windows a compare means, the trace list a row leads to, and how deltas read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delta, formatMs } from '../../webview/src/signals/delta.ts';
import { baselineOf, signalsStateFrom, signalsStateTo, windowOf } from '../../webview/src/signals/signalsState.ts';
import { localTime, tracesStateFor } from '../../webview/src/signals/traceLink.ts';

describe('signals view state', () => {
  it('keeps what differs from the defaults and drops what it cannot use', () => {
    const s = signalsStateFrom({ service: 'shop', route: '/pay', range: 'custom', from: '1000000000', to: '2000000000', compare: 'pinned', pinFrom: '1', pinTo: '2', tab: 'signals' });
    assert.deepEqual(signalsStateTo(s), { service: 'shop', route: '/pay', range: 'custom', from: '1000000000', to: '2000000000', compare: 'pinned', pinFrom: '1', pinTo: '2' });
    assert.equal(signalsStateFrom({ range: 'custom', from: '5', to: '4' }).range, '15m', 'a backwards custom range falls back');
    assert.equal(signalsStateFrom({ range: 'forever' }).range, '15m');
    assert.equal(signalsStateFrom({ compare: 'pinned' }).compare, '', 'pinned needs its window');
    assert.equal(signalsStateFrom({ tab: 'logs' }).tab, 'signals');
  });

  it('compares with the previous window of equal length, or the pinned one', () => {
    const now = 10_000_000;
    const s = signalsStateFrom({ range: '15m', compare: 'previous' });
    const w = windowOf(s, now);
    assert.deepEqual(w, { startMs: now - 900_000, endMs: now });
    assert.deepEqual(baselineOf(s, w), { startMs: now - 1_800_000, endMs: now - 900_000 });
    const pinned = signalsStateFrom({ compare: 'pinned', pinFrom: '1000000', pinTo: '3000000' });
    assert.deepEqual(baselineOf(pinned, w), { startMs: 1, endMs: 3 });
    assert.equal(baselineOf(signalsStateFrom({}), w), undefined);
  });

  it('leads a route to the trace list by http.route, or by span name when that is what the route is', () => {
    const w = { startMs: Date.parse('2026-01-02T03:04:05.500'), endMs: Date.parse('2026-01-02T03:04:15.200') };
    assert.deepEqual(tracesStateFor('shop', { route: '/pay', source: 'http.route' }, w, true), {
      service: 'shop', range: 'custom', from: '2026-01-02T03:04:05', to: '2026-01-02T03:04:16', attr: ['http.route=/pay'], status: 'error',
    });
    assert.equal(tracesStateFor('shop', { route: 'orders process', source: 'name' }, w, false).operation, 'orders process');
    assert.equal(localTime(Date.parse('2026-12-31T23:59:59')), '2026-12-31T23:59:59');
  });
});

describe('deltas against the baseline', () => {
  it('read as percentages, or as factors for counts that multiplied', () => {
    assert.deepEqual(delta(135, 100, true), { text: '+35 %', tone: 'worse' });
    assert.deepEqual(delta(80, 100, true), { text: '−20 %', tone: 'better' });
    assert.deepEqual(delta(102, 100, true), { text: '+2 %', tone: 'same' });
    assert.deepEqual(delta(3, 1, true, true), { text: '×3', tone: 'worse' });
    assert.deepEqual(delta(1, 4, true, true), { text: '÷4', tone: 'better' });
    assert.deepEqual(delta(5, 0, true, true), { text: 'new', tone: 'worse' });
    assert.deepEqual(delta(0, 0, true), { text: '±0', tone: 'same' });
    assert.deepEqual(delta(150, 100, undefined), { text: '+50 %', tone: 'same' }, 'traffic is neither better nor worse');
    assert.equal(delta(null, 100, true).text, '');
    assert.equal(formatMs(0.25), '250 µs');
    assert.equal(formatMs(2464), '2464 ms');
    assert.equal(formatMs(null), '—');
  });
});
