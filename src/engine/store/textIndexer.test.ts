import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { startEngine, type RunningEngine } from '../server.ts';
import { blockCount } from './textIndex.ts';

describe('the text indexer after a burst', () => {
  let running: RunningEngine;
  let someTrace = '';

  before(async () => {
    running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 1024 << 20, maxBodyBytes: 20 << 20 });
    // A burst of about 60 MiB: over ten chunks for the indexer to work through once ingest is quiet.
    for (let batch = 0; batch < 800; batch++) {
      const spans = Array.from({ length: 200 }, (_, i) => validSpan({
        name: `GET /orders/${batch * 200 + i}`,
        attributes: [{ key: 'db.query.text', value: { stringValue: `SELECT * FROM orders WHERE id = ${batch * 200 + i} AND status IN (1, 2, 3) `.repeat(2) } }],
      }));
      running.engine.export('traces', tracesRequest(spans), 'protobuf', 'http');
      if (batch === 400) someTrace = spans[0].traceId!;
    }
  });
  after(() => running.close());

  const pending = () => running.engine.traces.chunks.slice(0, -1).filter((c) => c.textIndexedBlocks < blockCount(c)).length;

  it('lets a search and a trace fetch through between its slices', async () => {
    assert.ok(running.engine.traces.chunks.length >= 8, `${running.engine.traces.chunks.length} chunks`);
    // Wait for the indexer to start (ingest has been quiet for its pause).
    while (running.engine.traces.chunks.every((c) => c.textIndexedBlocks === 0)) await new Promise((r) => setTimeout(r, 5));
    const search = await fetch(`${running.httpUrl}/api/traces?q=${encodeURIComponent('id = 80011 AND')}`);
    const afterSearch = pending();
    const trace = await fetch(`${running.httpUrl}/api/traces/${someTrace}`);
    const afterFetch = pending();
    assert.equal(search.status, 200);
    assert.equal(((await search.json()) as { traces: unknown[] }).traces.length, 1);
    assert.equal(trace.status, 200);
    // Both were answered while chunks were still waiting for their filters.
    assert.ok(afterSearch > 0 && afterFetch > 0, `chunks still to index: ${afterSearch} after the search, ${afterFetch} after the fetch`);
  });

  it('then finishes every sealed chunk', async () => {
    while (pending() > 0) await new Promise((r) => setTimeout(r, 20));
    for (const chunk of running.engine.traces.chunks.slice(0, -1)) assert.equal(chunk.textIndexedBlocks, blockCount(chunk));
  });
});
