// The queries the editor uses beside trace search: per-operation statistics, recent
// exceptions and per-function statistics, against a real engine fed OTLP/JSON.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExceptionGroup, FunctionStats, OperationStats } from '../../protocol/insights.ts';
import { startEngine, type RunningEngine } from '../server.ts';

let running: RunningEngine;
const T0 = 1_700_000_000_000_000_000n;

function span(i: number, name: string, ms: number, extra: Record<string, unknown> = {}) {
  const start = T0 + BigInt(i) * 1_000_000_000n;
  return {
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name,
    kind: 2,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(ms) * 1_000_000n).toString(),
    ...extra,
  };
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

function exception(i: number, type: string, message: string) {
  return {
    status: { code: 2 },
    events: [{
      name: 'exception',
      timeUnixNano: (T0 + BigInt(i) * 1_000_000_000n).toString(),
      attributes: [str('exception.type', type), str('exception.message', message), str('exception.stacktrace', `${type}: ${message}\n    at pay (/app/src/pay.js:${10 + i}:5)`)],
    }],
  };
}

before(async () => {
  running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 64 << 20, maxBodyBytes: 20 << 20 });
  const code = [str('code.function.name', 'pay'), str('code.file.path', '/app/src/pay.js'), { key: 'code.line.number', value: { intValue: '12' } }];
  const spans = [
    ...Array.from({ length: 19 }, (_, i) => span(i, 'GET /cart', i + 1)),
    span(19, 'GET /cart', 100, { status: { code: 2 } }),
    span(20, 'POST /pay', 5, { attributes: code, ...exception(20, 'CardError', 'declined') }),
    span(21, 'POST /pay', 7, { attributes: code, ...exception(21, 'CardError', 'declined') }),
    span(22, 'POST /pay', 9, { attributes: code, ...exception(22, 'TimeoutError', 'bank did not answer') }),
  ];
  const body = { resourceSpans: [{ resource: { attributes: [str('service.name', 'shop')] }, scopeSpans: [{ spans }] }] };
  const res = await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
});

after(() => running.close());

async function get<T>(path: string): Promise<T> {
  const res = await fetch(running.httpUrl + path);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

function assertNear(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= expected * 0.01, `${actual} is not within 1% of ${expected}`);
}

describe('editor queries', () => {
  it('/api/operations: count, errors and percentiles per operation, busiest first', async () => {
    const ops = await get<OperationStats[]>('/api/operations?service=shop');
    assert.deepEqual(ops.map((o) => [o.name, o.count, o.errorCount]), [['GET /cart', 20, 1], ['POST /pay', 3, 3]]);
    // Server spans: from the golden-signal sketches, within 1 % of the exact values.
    assertNear(ops[0].p50Ms, 10);
    assertNear(ops[0].p95Ms, 19);
    assert.equal(ops[0].source, 'signals');
    assert.deepEqual(await get('/api/operations?service=nobody'), []);
  });

  it('/api/exceptions: grouped by type and message, newest first, with the newest occurrence', async () => {
    const groups = await get<ExceptionGroup[]>('/api/exceptions');
    assert.deepEqual(groups.map((g) => [g.type, g.message, g.count, g.traceCount]), [['TimeoutError', 'bank did not answer', 1, 1], ['CardError', 'declined', 2, 2]]);
    const card = groups[1];
    assert.equal(card.latest.traceId, (22).toString(16).padStart(32, '0'));
    assert.match(String(card.latest.attributes['exception.stacktrace']), /pay\.js:31:5/);
    assert.equal(card.latest.spanAttributes['code.function.name'], 'pay');
    assert.deepEqual(card.services, ['shop']);
  });

  it('/api/functions: spans that name their function, grouped by function and file', async () => {
    const fns = await get<FunctionStats[]>('/api/functions');
    assert.equal(fns.length, 1);
    assert.deepEqual({ ...fns[0], p95Ms: undefined }, {
      service: 'shop', function: 'pay', file: '/app/src/pay.js', line: 12, operations: ['POST /pay'], count: 3, errorCount: 3, p95Ms: undefined, source: 'signals',
    });
    // Percentiles at rank q·(n-1), as the Golden Signals take them: of three, p95 is the middle one.
    assertNear(fns[0].p95Ms, 7);
  });
});
