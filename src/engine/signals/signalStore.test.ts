// The aggregates stay bounded: old fine buckets give way to coarse ones, endless route
// names fold into one row, and what is kept still answers queries.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { querySignalRoutes } from './signalQuery.ts';
import { MAX_ROUTES_PER_SERVICE, OTHER_ROUTES, SignalStore, TIERS } from './signalStore.ts';

const S = 1e9;
// A multiple of 600 s, so the days fall in whole ten-minute buckets.
const T0 = 1_699_999_800 * S;

describe('SignalStore', () => {
  it('keeps 10 s buckets for two hours, minutes for a day, and ten minutes beyond, within a bounded size', () => {
    const store = new SignalStore();
    // Three days of one request every 10 s.
    for (let t = 0; t < 3 * 86400; t += 10) store.add('svc', '/a', false, T0 + t * S, 5e6, t % 100 === 0);
    const [series] = store.seriesOf('svc');
    assert.ok(series.tiers[0].size <= TIERS[0].keepSeconds / 10 + 1, `${series.tiers[0].size} fine buckets`);
    assert.ok(series.tiers[1].size <= TIERS[1].keepSeconds / 60 + 1, `${series.tiers[1].size} minute buckets`);
    assert.equal(series.tiers[2].size, 3 * 86400 / 600);
    const sizeAfter3Days = store.memoryBytes;
    for (let t = 3 * 86400; t < 4 * 86400; t += 10) store.add('svc', '/a', false, T0 + t * S, 5e6, false);
    assert.ok(store.memoryBytes < sizeAfter3Days * 1.2, 'a fourth day adds only its ten-minute buckets');

    // Two days back is answered from the ten-minute buckets, exactly.
    const q = new URLSearchParams({ service: 'svc', start: String(T0 + 86400 * S), end: String(T0 + 2 * 86400 * S) });
    const [row] = querySignalRoutes(store, q);
    assert.equal(row.requests, 8640);
    assert.equal(row.errors, 864);
    assert.ok(Math.abs(row.p99Ms! - 5) / 5 < 0.01);
  });

  it(`folds routes beyond ${MAX_ROUTES_PER_SERVICE} per service into "${OTHER_ROUTES}"`, () => {
    const store = new SignalStore();
    for (let i = 0; i < 1000; i++) store.add('svc', `GET /items/${i}`, true, T0 + i * S, 1e6, false);
    const routes = store.seriesOf('svc').filter((s) => s.route !== null);
    assert.equal(routes.length, MAX_ROUTES_PER_SERVICE + 1);
    const other = store.find('svc', OTHER_ROUTES)!;
    assert.equal([...other.tiers[2].values()].reduce((n, b) => n + b.requests, 0), 1000 - MAX_ROUTES_PER_SERVICE);
    const whole = store.find('svc', null)!;
    assert.equal([...whole.tiers[2].values()].reduce((n, b) => n + b.requests, 0), 1000);
  });
});
