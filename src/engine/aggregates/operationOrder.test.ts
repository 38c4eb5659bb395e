import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortByCountThenName } from './operationOrder.ts';

describe('operations in count-then-name order', () => {
  it('orders as a collator comparison would, as the names listed change from call to call', () => {
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const words = ['GET /cart', 'get /cart', 'cache.get', 'Cache.get', 'SELECT orders', 'select 2', 'POST /checkout', 'é-route', '_internal', '/health', 'process item 10', 'process item 9'];
    for (let call = 0; call < 50; call++) {
      // Some calls bring names never seen before; others a subset of earlier ones.
      const pool = call % 3 === 0 ? [...words, ...Array.from({ length: 20 }, (_, i) => `new name ${call}-${i}`)] : words;
      const list = pool.filter(() => rnd() < 0.7).map((name) => ({ name, count: Math.floor(rnd() * 3) }));
      const want = [...list].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
      assert.deepEqual(sortByCountThenName([...list].reverse()), want, `call ${call}`);
    }
  });
});
