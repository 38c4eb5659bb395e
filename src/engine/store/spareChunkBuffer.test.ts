import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { Engine } from '../engine.ts';

/**
 * Sends `requests` exports (`send(r)`) and asserts that the store's chunks (`chunks()`)
 * used no more buffers than the most chunks it held at once and its spare.
 */
function assertBuffersReused(requests: number, send: (r: number) => void, chunks: () => readonly { bytes: Buffer }[]): void {
  const buffers = new Set<ArrayBufferLike>();
  let mostChunks = 0;
  for (let r = 0; r < requests; r++) {
    send(r);
    for (const c of chunks()) buffers.add(c.bytes.buffer);
    mostChunks = Math.max(mostChunks, chunks().length);
  }
  assert.ok(buffers.size <= mostChunks + 1, `${buffers.size} buffers for at most ${mostChunks} chunks`);
}

function logsJson(r: number): Buffer {
  const logRecords = Array.from({ length: 100 }, (_, i) => ({ timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(r * 100 + i)), body: { stringValue: `request ${r} ` + 'x'.repeat(1000) } }));
  return Buffer.from(JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeLogs: [{ scope: { name: 'app' }, logRecords }] }] }));
}

describe('stores at their budget give each new chunk the buffer of one they evicted, not a fresh one', () => {
  it('TraceStore', () => {
    const engine = new Engine({ memoryBudgetBytes: 24 << 20 });
    // About 60 chunks of 4 KiB spans through a store that holds a few.
    assertBuffersReused(600, (r) => {
      const traceId = r.toString(16).padStart(32, '0');
      const spans = Array.from({ length: 100 }, () => validSpan({ name: 'work', traceId, attributes: [{ key: 'note', value: { stringValue: 'x'.repeat(4000) } }] }));
      engine.export('traces', tracesRequest(spans), 'protobuf', 'http');
    }, () => engine.traces.chunks);
    assert.ok(engine.traces.evictedSpans > 50_000, `${engine.traces.evictedSpans} spans evicted`);
  });

  it('LogStore', () => {
    // An 8 MiB budget makes 512 KiB log chunks (engine.ts): about 80 chunks of 1 KiB records through a store that holds a dozen.
    const engine = new Engine({ memoryBudgetBytes: 8 << 20 });
    assertBuffersReused(400, (r) => assert.equal(engine.export('logs', logsJson(r), 'json', 'http').rejected, 0), () => engine.logs.chunks);
    assert.ok(engine.logs.evicted > 30_000, `${engine.logs.evicted} records evicted`);
  });
});
