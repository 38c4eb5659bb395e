// Export Traces… and Import Telemetry File… (POST /api/files/import, the engine's
// telemetry-file reader) against real engines: what one engine exports, another imports
// unchanged; files from other tools (bare 64-bit numbers, gzip, Jaeger JSON, collector
// lines with a bad one) import with what was wrong said.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../src/engine/server.ts';
import { gzipSync } from 'node:zlib';
import { tracesFileText } from '../src/extension/telemetryFile.ts';
import type { FileImportResult } from '../src/protocol/files.ts';
import type { TracesData } from '../src/protocol/otlp.ts';
import { getJson, startTestEngine } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

let source: RunningEngine;
let target: RunningEngine;
before(async () => { [source, target] = await Promise.all([startTestEngine(), startTestEngine()]); });
after(async () => { await Promise.all([source.close(), target.close()]); });

async function importFile(engine: RunningEngine, bytes: Buffer | string): Promise<{ status: number; body: FileImportResult & { error?: string } }> {
  const res = await fetch(`${engine.httpUrl}/api/files/import?name=test.jsonl`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: typeof bytes === 'string' ? Buffer.from(bytes) : bytes });
  return { status: res.status, body: (await res.json()) as FileImportResult & { error?: string } };
}

async function importText(engine: RunningEngine, text: string): Promise<void> {
  const { status, body } = await importFile(engine, text);
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body.problems, []);
}

describe('exported traces', () => {
  for (const format of ['json', 'jsonl'] as const) {
    it(`import into another engine unchanged (${format})`, async () => {
      const spans = [
        validSpan({ attributes: [{ key: 'big', value: { intValue: '9007199254740993' } }, { key: 'list', value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 0.5 }] } } }], events: [{ name: 'e', timeUnixNano: '1700000000123456790' }] }),
        validSpan({ status: { code: 2, message: 'boom' } }),
      ];
      await fetch(`${source.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest(spans) });
      const exported = await Promise.all(spans.map(async (s) => (await getJson<TracesData>(source.httpUrl, `/api/traces/${s.traceId}`)).body));
      await importText(target, tracesFileText(exported, format));
      for (const [i, s] of spans.entries()) {
        assert.deepEqual((await getJson<TracesData>(target.httpUrl, `/api/traces/${s.traceId}`)).body, exported[i]);
      }
    });
  }
});

describe('files from other tools', () => {
  it('keep 64-bit times written as bare numbers exact', async () => {
    const traceId = 'fe'.repeat(16);
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${traceId}","spanId":"${'ab'.repeat(8)}","name":"from a file","startTimeUnixNano":1700000000123456789,"endTimeUnixNano":1700000000987654321}]}]}]}`;
    await importText(target, text);
    const span = (await getJson<TracesData>(target.httpUrl, `/api/traces/${traceId}`)).body.resourceSpans![0].scopeSpans![0].spans![0];
    assert.equal(span.startTimeUnixNano, '1700000000123456789');
    assert.equal(span.endTimeUnixNano, '1700000000987654321');
  });
});

describe('Import Telemetry File… through the engine\'s reader', () => {
  it('reads gzip, Jaeger JSON and collector lines, saying which line was wrong', async () => {
    const traceId = 'ad'.repeat(16);
    const line = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gz' } }] }, scopeSpans: [{ spans: [{ traceId, spanId: 'cd'.repeat(8), name: 'gzipped', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' }] }] }] });
    const logLine = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000000000001', body: { stringValue: 'from the collector' } }] }] }] });
    const gz = await importFile(target, gzipSync(`${line}\nnot json\n${logLine}\n`));
    assert.equal(gz.status, 200, JSON.stringify(gz.body));
    assert.deepEqual(gz.body.imported, { spans: 1, traces: 1, logs: 1, metricPoints: 0 });
    assert.equal(gz.body.problems.length, 1);
    assert.match(gz.body.problems[0], /^line 2: not JSON/);
    assert.equal((await getJson(target.httpUrl, `/api/traces/${traceId}`)).status, 200);

    const jaegerTrace = '12'.repeat(16);
    const jaeger = { data: [{ traceID: jaegerTrace, spans: [{ traceID: jaegerTrace, spanID: '34'.repeat(8), operationName: 'from jaeger', references: [], startTime: 1700000000000000, duration: 1500, tags: [], logs: [], processID: 'p1' }], processes: { p1: { serviceName: 'jaeger-app', tags: [] } } }] };
    const fromJaeger = await importFile(target, JSON.stringify(jaeger));
    assert.equal(fromJaeger.status, 200, JSON.stringify(fromJaeger.body));
    assert.equal(fromJaeger.body.imported.spans, 1);
    const listed = (await getJson(target.httpUrl, `/api/traces?q=${jaegerTrace}`)).body;
    assert.equal(listed.traces[0].rootService, 'jaeger-app');
  });

  it('refuses what is not telemetry with a message naming the formats', async () => {
    const res = await importFile(target, '{"hello": "world"}');
    assert.equal(res.status, 400);
    assert.match(res.body.error ?? '', /^test.jsonl: the file is JSON but not telemetry: an object with "hello"\. Loupe opens OTLP\/JSON/);
  });
});
