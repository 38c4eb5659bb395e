import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../engine.ts';
import { parseTraceFilter, searchTraces } from '../query/traceSearch.ts';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { blockCount, blockMayContain, textGrams } from './textIndex.ts';

function filledEngine(): Engine {
  const engine = new Engine({ memoryBudgetBytes: 512 * 1048576 });
  for (let batch = 0; batch < 200; batch++) {
    const spans = Array.from({ length: 200 }, (_, i) => validSpan({
      name: `GET /orders/${batch * 200 + i}`,
      attributes: [
        { key: 'user.email', value: { stringValue: `user${batch * 200 + i}@example.com` } },
        { key: 'db.query.text', value: { stringValue: 'SELECT * FROM orders WHERE id = $1 AND status IN (1, 2, 3) '.repeat(3) } },
      ],
    }));
    engine.export('traces', tracesRequest(spans), 'protobuf', 'http');
  }
  return engine;
}

const ids = (engine: Engine, q: string) => searchTraces(engine.traces, parseTraceFilter(new URLSearchParams({ q, limit: '1000' }))).map((t) => t.traceId).sort();

describe('text filters of stored spans', () => {
  const engine = filledEngine();
  engine.textIndexer.stop();
  const before = ['user4242@example.com', 'USER4242@EXAMPLE', 'nowhere-to-be-found', 'orders WHERE', 'ab'].map((q) => ids(engine, q));
  engine.textIndexer.runToEnd();
  const sealed = engine.traces.chunks.slice(0, -1);

  it('are built for every block of every sealed chunk', () => {
    assert.ok(sealed.length >= 2, `${sealed.length} sealed chunks`);
    for (const chunk of sealed) assert.equal(chunk.textIndexedBlocks, blockCount(chunk));
  });

  it('change no answer: searches find the same traces with and without them', () => {
    const after = ['user4242@example.com', 'USER4242@EXAMPLE', 'nowhere-to-be-found', 'orders WHERE', 'ab'].map((q) => ids(engine, q));
    assert.deepEqual(after, before);
    assert.equal(before[0].length, 1);
    assert.equal(before[2].length, 0);
  });

  it('let a search skip nearly every block for text that is not there', () => {
    const bits = textGrams('nowhere-to-be-found')!;
    let passing = 0;
    let total = 0;
    for (const chunk of sealed) {
      for (let b = 0; b < blockCount(chunk); b++, total++) if (blockMayContain(chunk.textFilters!, b, bits)) passing++;
    }
    assert.ok(passing <= total * 0.05, `${passing} of ${total} blocks may hold it`);
  });

  it('keep every block that holds the text, in any case', () => {
    const bits = textGrams('User4242@Example.COM')!;
    const holding = sealed.flatMap((chunk) => Array.from({ length: blockCount(chunk) }, (_, b) => b).filter((b) => blockMayContain(chunk.textFilters!, b, bits)));
    assert.ok(holding.length >= 1);
  });

  it('have nothing to filter on for short or non-ASCII text', () => {
    assert.equal(textGrams('ab'), undefined);
    assert.equal(textGrams('naïve'), undefined);
  });
});
