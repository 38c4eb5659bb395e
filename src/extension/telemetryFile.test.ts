import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTelemetryFile, tracesFileText } from './telemetryFile.ts';

const spans = { resourceSpans: [{ resource: {}, scopeSpans: [] }] };
const logs = { resourceLogs: [{ scopeLogs: [] }] };
const metrics = { resourceMetrics: [] };

describe('importing OTLP/JSON files', () => {
  it('reads one request per file, with the signal from its top-level key', () => {
    for (const [request, signal] of [[spans, 'traces'], [logs, 'logs'], [metrics, 'metrics']] as const) {
      const parsed = parseTelemetryFile(JSON.stringify(request, null, 2));
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(parsed.requests.map((r) => r.signal), [signal]);
      assert.deepEqual(JSON.parse(parsed.requests[0].body), request);
    }
  });

  it('reads one request per line (JSON Lines), mixed signals, skipping blank lines', () => {
    const text = `${JSON.stringify(spans)}\n\n${JSON.stringify(logs)}\r\n${JSON.stringify(metrics)}\n`;
    const parsed = parseTelemetryFile(text);
    assert.deepEqual(parsed.requests.map((r) => [r.signal, r.line]), [['traces', 1], ['logs', 3], ['metrics', 4]]);
    assert.deepEqual(parsed.problems, []);
  });

  it('says which lines are not telemetry and imports the others', () => {
    const parsed = parseTelemetryFile(`${JSON.stringify(spans)}\n{"hello":1}\nnot json\n{"resourceProfiles":[]}\n`);
    assert.equal(parsed.requests.length, 1);
    assert.equal(parsed.problems.length, 3);
    assert.match(parsed.problems[0], /^Line 2 has none of resourceSpans, resourceLogs or resourceMetrics/);
    assert.match(parsed.problems[1], /^Line 3 is not JSON/);
    assert.match(parsed.problems[2], /^Line 4 holds profiles/);
  });

  it('splits a request that holds several signals, and reads an array of requests', () => {
    assert.deepEqual(parseTelemetryFile(JSON.stringify({ ...spans, ...logs })).requests.map((r) => r.signal), ['traces', 'logs']);
    assert.deepEqual(parseTelemetryFile(JSON.stringify([spans, metrics])).requests.map((r) => r.signal), ['traces', 'metrics']);
  });

  it('reads back what Export Traces writes, in both formats', () => {
    const traces = [{ resourceSpans: [{ a: 1 }] }, { resourceSpans: [{ b: 2 }] }];
    const one = parseTelemetryFile(tracesFileText(traces, 'json'));
    assert.deepEqual(one.requests.map((r) => JSON.parse(r.body)), [{ resourceSpans: [{ a: 1 }, { b: 2 }] }]);
    const lines = parseTelemetryFile(tracesFileText(traces, 'jsonl'));
    assert.deepEqual(lines.requests.map((r) => JSON.parse(r.body)), traces);
  });
});
