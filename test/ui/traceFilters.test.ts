// The trace list's filters: what the URL or webview state holds, and what the engine is
// asked.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterProblems, filtersFromState, filtersToState, tracesQuery } from '../../webview/src/traces/traceFilters.ts';

describe('trace filters', () => {
  it('survive a round trip through the saved state', () => {
    const state = { service: 'cart', operation: 'GET /x', status: 'error', minDurationMs: '5', maxDurationMs: '900', attr: ['a=1', 'b=two'], q: 'timeout', range: '15m' };
    assert.deepEqual(filtersToState(filtersFromState(state)), state);
  });

  it('ignore values the UI would never write', () => {
    const f = filtersFromState({ status: 'bogus', range: '99y', attr: ['novalue', 'k=v'] });
    assert.equal(f.status, '');
    assert.equal(f.range, '');
    assert.deepEqual(f.attrs, ['k=v']);
  });

  it('become the engine query, with relative time ranges resolved now', () => {
    const f = filtersFromState({ service: 'cart', status: 'error', minDurationMs: '5', attr: ['a=1', 'b=2'], q: 'x y', range: '5m' });
    const now = Date.UTC(2024, 0, 1, 12, 0, 0);
    const url = new URL(tracesQuery(f, now, 200), 'http://x');
    assert.equal(url.pathname, '/api/traces');
    assert.equal(url.searchParams.get('service'), 'cart');
    assert.equal(url.searchParams.get('status'), 'error');
    assert.equal(url.searchParams.get('minDurationMs'), '5');
    assert.deepEqual(url.searchParams.getAll('attr'), ['a=1', 'b=2']);
    assert.equal(url.searchParams.get('q'), 'x y');
    assert.equal(url.searchParams.get('start'), ((BigInt(now) - 300_000n) * 1_000_000n).toString());
    assert.equal(url.searchParams.get('limit'), '200');
  });

  it('page on with an end bound, the tighter of the range and the page', () => {
    const f = filtersFromState({ range: 'custom', from: '2024-01-01T10:00', to: '2024-01-01T11:00' });
    const end = (BigInt(Date.parse('2024-01-01T10:30')) * 1_000_000n).toString();
    const url = new URL(tracesQuery(f, Date.now(), 50, end), 'http://x');
    assert.equal(url.searchParams.get('start'), (BigInt(Date.parse('2024-01-01T10:00')) * 1_000_000n).toString());
    assert.equal(url.searchParams.get('end'), end);
  });

  it('say what is wrong with a filter before asking the engine', () => {
    assert.deepEqual(filterProblems(filtersFromState({ minDurationMs: 'fast' })), ['Min duration: "fast" is not a number of milliseconds']);
    assert.deepEqual(filterProblems(filtersFromState({ minDurationMs: '1.5' })), []);
  });
});
