import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatusResponse } from '../../protocol/api.ts';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { startEngine, type RunningEngine } from '../server.ts';
import { traceKeyFromHex } from './traceEntry.ts';

// bench:memory overfills a 1 GiB store with spans, logs and metrics at once, then sends
// and fetches one large trace: the store reported a few MiB over its budget. The same,
// scaled down to the smallest budget a user can set.

const BUDGET = 16 << 20;
const SERVICE = { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] };

function spans(r: number, traceId = (r + 1).toString(16).padStart(32, '0'), count = 50): Buffer {
  return tracesRequest(Array.from({ length: count }, (_, i) => validSpan({
    name: `GET /orders/${i}`,
    traceId,
    attributes: [{ key: 'db.query.text', value: { stringValue: `SELECT * FROM orders WHERE id = ${r * 100 + i} ` + 'AND status IN (1, 2, 3) '.repeat(8) } }],
  })));
}

function logs(r: number): Buffer {
  const logRecords = Array.from({ length: 100 }, (_, i) => ({
    timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(r * 100 + i)),
    body: { stringValue: `request ${r} for user:${i} failed: connection reset ` + 'x'.repeat(300) },
  }));
  return Buffer.from(JSON.stringify({ resourceLogs: [{ resource: SERVICE, scopeLogs: [{ scope: { name: 'app' }, logRecords }] }] }));
}

function metrics(r: number): Buffer {
  const dataPoints = Array.from({ length: 40 }, (_, i) => ({
    timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(r * 1e9)),
    asDouble: r + i,
    attributes: [{ key: 'route', value: { stringValue: `/orders/${i}` } }],
  }));
  const metrics = Array.from({ length: 10 }, (_, m) => ({ name: `orders.m${m}`, gauge: { dataPoints } }));
  return Buffer.from(JSON.stringify({ resourceMetrics: [{ resource: SERVICE, scopeMetrics: [{ scope: { name: 'app' }, metrics }] }] }));
}

describe(`a ${BUDGET >> 20} MiB store overfilled with spans, logs and metrics at once`, () => {
  let running: RunningEngine;
  before(async () => {
    running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: BUDGET, maxBodyBytes: 20 << 20 });
  });
  after(() => running.close());

  /**
   * The indexers build text filters once ingest is quiet, where no budget is enforced:
   * here at once, as if it were. The count must hold them already.
   */
  const quiet = (): void => {
    const counted = running.engine.memoryBytes;
    running.engine.textIndexer.runToEnd();
    running.engine.logTextIndexer.runToEnd();
    assert.equal(running.engine.memoryBytes, counted, 'the text filters built in quiet time were not counted');
  };

  const status = async (): Promise<StatusResponse> => (await fetch(`${running.httpUrl}/api/status`)).json() as Promise<StatusResponse>;

  it('counts no more than its budget after every request, its text filters included before they are built', () => {
    const { engine } = running;
    for (let r = 0; r < 600; r++) {
      for (const [signal, body, encoding] of [['traces', spans(r), 'protobuf'], ['logs', logs(r), 'json'], ['metrics', metrics(r), 'json']] as const) {
        assert.equal(engine.export(signal, body, encoding, 'http').rejected, 0);
        assert.ok(engine.memoryBytes <= BUDGET, `${engine.memoryBytes - BUDGET} bytes over after ${signal} request ${r}`);
      }
      // Now and then, as in a fill that pauses.
      if (r % 10 === 9) quiet();
    }
    assert.ok(engine.traces.evictedSpans > 0 && engine.logs.evicted > 0 && engine.metrics.evicted > 0, 'every signal evicted');
  });

  it('counts the same, within its budget, once a large trace is sent, fetched and its filters built', async () => {
    const { engine } = running;
    const traceId = 'b16b16b16b16b16b16b16b16b16b16b1';
    for (let b = 0; b < 80; b++) engine.export('traces', spans(b, traceId, 250), 'protobuf', 'http');
    // Eviction may have taken its first spans (and with them the trace): the rest make it up.
    const stored = engine.traces.get(traceKeyFromHex(traceId)!)!.spans.length;
    const counted = engine.memoryBytes;
    assert.ok(counted <= BUDGET, `${counted - BUDGET} bytes over`);
    // The fetch gives the indexer its quiet time too.
    const res = await fetch(`${running.httpUrl}/api/traces/${traceId}`);
    assert.equal(res.status, 200);
    const { resourceSpans } = (await res.json()) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    assert.equal(resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length, stored);
    quiet();
    const { memoryBytes, memoryBudgetBytes } = await status();
    assert.equal(memoryBudgetBytes, BUDGET);
    assert.equal(memoryBytes, counted);
  });
});
