// The memory budget: the store evicts the oldest whole traces (and oldest logs and
// metric points), counts what it evicted, and everything else stays queryable.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../src/engine/engine.ts';
import { searchTraces, parseTraceFilter } from '../src/engine/query/traceSearch.ts';
import { traceKeyFromHex } from '../src/engine/store/traceEntry.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const MiB = 1048576;

describe('the store under its memory budget', () => {
  it('evicts the oldest whole traces first and counts every span it drops', () => {
    const engine = new Engine({ memoryBudgetBytes: 12 * MiB });
    const traceIds: string[] = [];
    let accepted = 0;
    for (let batch = 0; batch < 400; batch++) {
      const spans = [];
      for (let t = 0; t < 20; t++) {
        const traceId = (batch * 100 + t + 1).toString(16).padStart(32, '0');
        traceIds.push(traceId);
        // Each trace: a root and four children, with a long attribute so chunks fill fast.
        for (let s = 0; s < 5; s++) {
          spans.push(validSpan({ traceId, spanId: (s + 1).toString(16).padStart(16, '0'), parentSpanId: s ? '0000000000000001' : undefined, attributes: [{ key: 'payload', value: { stringValue: 'x'.repeat(200) } }] }));
        }
      }
      engine.export('traces', tracesRequest(spans), 'protobuf', 'http');
      accepted += spans.length;
      assert.ok(engine.memoryBytes <= 12 * MiB, `memory ${engine.memoryBytes} within budget after batch ${batch}`);
    }
    const { traces } = engine;
    assert.ok(traces.evictedSpans > 0, 'something was evicted');
    assert.equal(traces.spanCount + traces.evictedSpans, accepted, 'every accepted span is either stored or counted as evicted');
    assert.equal(traces.evictedSpans % 5, 0, 'traces are evicted whole');
    assert.equal(traces.get(traceKeyFromHex(traceIds[0])!), undefined, 'the oldest trace is gone');
    const newest = traces.get(traceKeyFromHex(traceIds.at(-1)!)!);
    assert.equal(newest?.spans.length, 5, 'the newest trace is whole');
    const listed = searchTraces(traces, parseTraceFilter(new URLSearchParams('limit=1000')));
    assert.equal(listed.length, 1000);
    for (const t of listed) assert.equal(t.spanCount, 5);
    const status = engine.status('test');
    assert.equal(status.dropped.spans, traces.evictedSpans);
    assert.equal(status.counts.spans, traces.spanCount);
  });

  it('evicts the oldest logs when logs fill the budget', () => {
    const engine = new Engine({ memoryBudgetBytes: 2 * MiB });
    let accepted = 0;
    for (let i = 0; i < 200; i++) {
      const logRecords = Array.from({ length: 50 }, (_, j) => ({ timeUnixNano: String(1700000000000000000 + i * 1000 + j), severityNumber: 9, body: { stringValue: `log ${i}-${j} ` + 'y'.repeat(100) } }));
      engine.export('logs', Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] })), 'json', 'http');
      accepted += logRecords.length;
    }
    assert.ok(engine.logs.evicted > 0);
    assert.equal(engine.logs.count + engine.logs.evicted, accepted);
    assert.ok(engine.memoryBytes <= 2 * MiB);
  });

  it('clears everything on request', () => {
    const engine = new Engine({ memoryBudgetBytes: 64 * MiB });
    engine.export('traces', tracesRequest([validSpan(), validSpan()]), 'protobuf', 'http');
    assert.equal(engine.traces.spanCount, 2);
    engine.clear();
    assert.equal(engine.status('test').counts.spans, 0);
    assert.equal(engine.status('test').counts.traces, 0);
  });
});
