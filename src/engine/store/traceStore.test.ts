import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { Engine } from '../engine.ts';

describe('TraceStore at its budget', () => {
  it('gives each new chunk the buffer of one it evicted, not a fresh one', () => {
    const engine = new Engine({ memoryBudgetBytes: 24 << 20 });
    const buffers = new Set<ArrayBufferLike>();
    let mostChunks = 0;
    // About 60 chunks of 4 KiB spans through a store that holds a few.
    for (let r = 0; r < 600; r++) {
      const traceId = r.toString(16).padStart(32, '0');
      const spans = Array.from({ length: 100 }, () => validSpan({ name: 'work', traceId, attributes: [{ key: 'note', value: { stringValue: 'x'.repeat(4000) } }] }));
      engine.export('traces', tracesRequest(spans), 'protobuf', 'http');
      for (const c of engine.traces.chunks) buffers.add(c.bytes.buffer);
      mostChunks = Math.max(mostChunks, engine.traces.chunks.length);
    }
    assert.ok(engine.traces.evictedSpans > 50_000, `${engine.traces.evictedSpans} spans evicted`);
    // Every buffer the store ever used: those of the most chunks it held, and the spare.
    assert.ok(buffers.size <= mostChunks + 1, `${buffers.size} buffers for at most ${mostChunks} chunks`);
  });
});
