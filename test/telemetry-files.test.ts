// Telemetry files opened for viewing (POST /api/files): each format the SDK, the
// Collector's file exporter and Jaeger write, apart from the live store until imported.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { RunningEngine } from '../src/engine/server.ts';
import type { FileImportResult, FileSummary } from '../src/protocol/files.ts';
import type { LogsResponse, StatusResponse, TracesResponse } from '../src/protocol/api.ts';
import type { Span, TracesData } from '../src/protocol/otlp.ts';
import { plainAttributes } from '../src/shared/plainValue.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

const fixture = (name: string) => readFileSync(join(__dirname, 'files', name));

async function openFile(name: string, bytes: Buffer = fixture(name)): Promise<{ status: number; body: FileSummary & { error?: string } }> {
  const res = await fetch(`${running.httpUrl}/api/files?name=${encodeURIComponent(name)}`, { method: 'POST', body: bytes });
  return { status: res.status, body: await res.json() as FileSummary & { error?: string } };
}

async function liveCounts(): Promise<StatusResponse['counts']> {
  return (await getJson<StatusResponse>(running.httpUrl, '/api/status')).body.counts;
}

function allSpans(data: TracesData): { span: Span; service: unknown; scope?: string; resource: Record<string, unknown> }[] {
  return (data.resourceSpans ?? []).flatMap((rs) => {
    const resource = plainAttributes(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((span) => ({ span, service: resource['service.name'], scope: ss.scope?.name, resource })));
  });
}

describe('telemetry files', () => {
  it('open an OTLP/JSON request file with the same queries as the live store, which stays untouched', async () => {
    const { status, body } = await openFile('checkout.otlp.json');
    assert.equal(status, 201);
    assert.equal(body.format, 'otlp-json');
    assert.deepEqual(body.counts, { spans: 2, traces: 1, logs: 0, metricPoints: 0 });
    assert.ok(/^\d{19}$/.test(body.startUnixNano) && BigInt(body.startUnixNano) < BigInt(body.endUnixNano), 'the file\'s time span');
    const traces = (await getJson<TracesResponse>(running.httpUrl, `/api/files/${body.id}/api/traces`)).body.traces;
    assert.equal(traces.length, 1);
    assert.equal(traces[0].rootName, 'POST /checkout');
    assert.equal(traces[0].rootService, 'file-checkout');
    const one = (await getJson<TracesData>(running.httpUrl, `/api/files/${body.id}/api/traces/${traces[0].traceId}`)).body;
    assert.equal(allSpans(one).length, 2);
    assert.deepEqual(await liveCounts(), { spans: 0, traces: 0, logs: 0, metricPoints: 0, profiles: 0 });
    assert.equal((await getJson(running.httpUrl, `/api/traces/${traces[0].traceId}`)).status, 404, 'the live store does not have it');
  });

  it('open the Collector file exporter\'s line-per-request form, gzipped or not, with traces, logs and metrics', async () => {
    for (const name of ['checkout.otlp.jsonl', 'checkout.otlp.jsonl.gz']) {
      const { status, body } = await openFile(name);
      assert.equal(status, 201, name);
      assert.equal(body.format, 'otlp-jsonl');
      assert.equal(body.gzip, name.endsWith('.gz'));
      assert.equal(body.counts.spans, 2);
      assert.equal(body.counts.logs, 2);
      assert.ok(body.counts.metricPoints >= 2);
      assert.deepEqual(body.problems, []);
      const logs = (await getJson<LogsResponse>(running.httpUrl, `/api/files/${body.id}/api/logs`)).body.logs;
      assert.deepEqual(logs.map((l) => l.body).sort(), ['card declined for order 1234', 'checkout service ready']);
      const metrics = (await getJson<{ metrics: { name: string }[] }>(running.httpUrl, `/api/files/${body.id}/api/metrics`)).body;
      assert.ok(JSON.stringify(metrics).includes('checkout.orders'));
      const status2 = (await getJson<StatusResponse>(running.httpUrl, `/api/files/${body.id}/api/status`)).body;
      assert.equal(status2.counts.logs, 2, 'the file answers /api/status with its own counts');
    }
    assert.equal((await liveCounts()).logs, 0);
  });

  it('open a line-per-request file with a broken line, naming the line', async () => {
    const { status, body } = await openFile('broken-line.otlp.jsonl');
    assert.equal(status, 201);
    assert.equal(body.counts.spans, 2);
    assert.ok(body.counts.metricPoints >= 2);
    assert.equal(body.problems.length, 1);
    assert.match(body.problems[0], /^line 2: not JSON/);
  });

  it('open Jaeger\'s JSON export: ids padded, parents, kinds, status, tags, processes as resources, logs as events', async () => {
    const { status, body } = await openFile('jaeger-export.json');
    assert.equal(status, 201);
    assert.equal(body.format, 'jaeger-json');
    assert.deepEqual(body.counts, { spans: 3, traces: 1, logs: 0, metricPoints: 0 });
    const traceId = '00000000000000003f1a2b3c4d5e6f70';
    const spans = allSpans((await getJson<TracesData>(running.httpUrl, `/api/files/${body.id}/api/traces/${traceId}`)).body);
    const byName = new Map(spans.map((s) => [s.span.name, s]));
    const root = byName.get('HTTP GET /dispatch')!;
    assert.equal(root.span.spanId, '3f1a2b3c4d5e6f70');
    assert.equal(root.span.parentSpanId ?? '', '');
    assert.equal(root.span.kind, 2);
    assert.equal(root.span.startTimeUnixNano, '1700000000000000000');
    assert.equal(root.span.endTimeUnixNano, '1700000000730000000');
    assert.equal(root.scope, 'frontend-http');
    assert.deepEqual(root.resource, { 'service.name': 'frontend', hostname: 'web-1', 'client-uuid': '4c0b3d0c' });
    assert.deepEqual(plainAttributes(root.span.attributes), { 'http.status_code': 200, 'sampler.param': true });
    assert.equal(root.span.events?.[0].name, 'HTTP request received');
    assert.equal(root.span.events?.[0].timeUnixNano, '1700000000001000000');
    assert.deepEqual(plainAttributes(root.span.events?.[0].attributes), { method: 'GET' });
    const sql = byName.get('SQL SELECT')!;
    assert.equal(sql.span.spanId, '0000a1b2c3d4e5f6');
    assert.equal(sql.span.parentSpanId, '3f1a2b3c4d5e6f70');
    assert.equal(sql.span.kind, 3);
    assert.equal(sql.span.status?.code, 2, 'error=true makes an error status');
    assert.equal(sql.service, 'mysql');
    assert.equal(plainAttributes(sql.span.attributes)['db.rows'], 1.5);
    assert.equal(sql.span.events?.[0].name, 'lock wait timeout');
    const send = byName.get('send notification')!;
    assert.equal(send.span.parentSpanId ?? '', '', 'FOLLOWS_FROM is a link, not a parent');
    assert.deepEqual(send.span.links?.map((l) => l.spanId), ['0000a1b2c3d4e5f6']);
    assert.deepEqual(send.span.status, { code: 2, message: 'queue full' });
    assert.equal(send.span.kind, 4);
  });

  it('refuse what is not telemetry with what was expected and what went wrong', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['notes.txt', Buffer.from('hello, world'), /notes\.txt: it is not JSON \(.*\)\. Loupe opens OTLP\/JSON .*Jaeger/],
      ['package.json', Buffer.from('{"name": "app", "version": "1.0.0"}'), /is JSON but not telemetry: an object with "name", "version"/],
      ['empty.otlp.json', Buffer.alloc(0), /the file is empty/],
      ['bad.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]), /starts like gzip but does not unpack/],
      ['lines.jsonl', Buffer.from('{"a":1}\n{"b":2}\n'), /no line holds an OTLP export request \(line 1: JSON but not an OTLP export request: an object with "a"/],
      ['jaeger.json', Buffer.from('{"data":[{"spans":[{"traceID":"xyz","spanID":"1","startTime":1}]}]}'), /a Jaeger JSON export, but data\[0\]\.spans\[0\]\.traceID: expected a hex id/],
    ];
    for (const [name, bytes, message] of cases) {
      const { status, body } = await openFile(name, bytes);
      assert.equal(status, 400, name);
      assert.match(body.error!, message);
    }
    const ingestError = await openFile('bad-span.otlp.json', Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"1"}]}]}]}'));
    assert.equal(ingestError.status, 201, 'a file whose spans are invalid still opens, saying why they are missing');
    assert.equal(ingestError.body.counts.spans, 0);
    assert.match(ingestError.body.problems.join(' '), /invalid|traceId/);
  });

  it('import into the live store only when asked, and close', async () => {
    const { body } = await openFile('checkout.otlp.jsonl.gz', gzipSync(fixture('checkout.otlp.jsonl')));
    const before = await liveCounts();
    const res = await fetch(`${running.httpUrl}/api/files/${body.id}/import`, { method: 'POST' });
    assert.equal(res.status, 200);
    const imported = await res.json() as FileImportResult;
    assert.equal(imported.imported.spans, 2);
    assert.equal(imported.imported.logs, 2);
    const after = await liveCounts();
    assert.equal(after.spans - before.spans, 2);
    assert.equal((await fetch(`${running.httpUrl}/api/files/${body.id}`, { method: 'DELETE' })).status, 200);
    const gone = await getJson<{ error: string }>(running.httpUrl, `/api/files/${body.id}/api/traces`);
    assert.equal(gone.status, 404);
    assert.match(gone.body.error, /is not open.*open the file again/);
    assert.equal((await liveCounts()).spans, after.spans, 'closing the file leaves what was imported');
  });

  it('keep a bounded number of files open, closing the least recently used', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await openFile(`f${i}.otlp.json`, fixture('checkout.otlp.json'))).body.id);
    assert.equal((await getJson(running.httpUrl, `/api/files/${ids[0]}/api/traces`)).status, 404);
    assert.equal((await getJson(running.httpUrl, `/api/files/${ids[4]}/api/traces`)).status, 200);
    const list = (await getJson<{ files: FileSummary[] }>(running.httpUrl, '/api/files')).body.files;
    assert.ok(list.length <= 4);
    assert.equal((await fetch(`${running.httpUrl}/api/files/${ids[4]}/api/data`, { method: 'DELETE' })).status, 405, 'a file is read-only');
  });
});
