// The engine's status, services, live events and Prometheus endpoint.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../src/engine/server.ts';
import type { ChangeEvent, ServiceSummary, StatusResponse } from '../src/protocol/api.ts';
import { getJson, startTestEngine } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

function postSpans(spans: ReturnType<typeof validSpan>[]): Promise<Response> {
  return fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest(spans) });
}

describe('the engine API', () => {
  it('says it is Loupe, where it listens and what it holds', async () => {
    await postSpans([validSpan(), validSpan({ status: { code: 2, message: 'boom' } })]);
    const { body } = await getJson<StatusResponse>(running.httpUrl, '/api/status');
    assert.equal(body.name, 'loupe');
    assert.equal(body.otlp.http, running.httpUrl);
    assert.equal(body.otlp.grpc, `http://${running.grpcAddress}`);
    assert.ok(body.counts.spans >= 2);
    assert.ok(body.memoryBytes > 0);
    assert.deepEqual(Object.keys(body.dropped).sort(), ['logs', 'metricPoints', 'profiles', 'refusedRequests', 'rejected', 'spans', 'traces']);
  });

  it('lists services with span and error counts', async () => {
    const { body } = await getJson<ServiceSummary[]>(running.httpUrl, '/api/services');
    const svc = body.find((s) => s.name === 'bad-input');
    assert.ok(svc);
    assert.ok(svc.spanCount >= 2);
    assert.ok(svc.errorCount >= 1);
    assert.equal(svc.lastSeen, '1700000000123456789');
  });

  it('streams changes as Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${running.httpUrl}/api/events`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const nextEvent = async () => {
      while (!/event: change\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      const [whole, json] = /event: change\ndata: (.*)\n\n/.exec(text)!;
      text = text.slice(text.indexOf(whole) + whole.length);
      return JSON.parse(json) as ChangeEvent;
    };
    // The stream opens with the engine's instance and counts, so a reconnecting client knows where it is.
    const hello = await nextEvent();
    const { body: status } = await getJson<StatusResponse>(running.httpUrl, '/api/status');
    assert.equal(hello.instanceId, status.instanceId);
    assert.match(hello.instanceId, /^[0-9a-f-]{36}$/);
    assert.equal(hello.spans, 0);
    await postSpans([validSpan(), validSpan()]);
    const data = await nextEvent();
    assert.equal(data.instanceId, status.instanceId);
    assert.equal(data.newTraces, 2);
    assert.equal(data.spans, 2);
    assert.ok(data.counts.spans >= 2);
    controller.abort();
  });

  it('exposes its own health and span-derived request metrics to Prometheus', async () => {
    await postSpans([validSpan({ attributes: [{ key: 'http.route', value: { stringValue: '/users/:id' } }] })]);
    await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    const res = await fetch(`${running.httpUrl}/metrics`);
    assert.match(res.headers.get('content-type')!, /text\/plain/);
    const text = await res.text();
    assert.match(text, /loupe_received_items_total\{signal="traces",transport="http"\} \d+/);
    assert.match(text, /loupe_otlp_request_duration_seconds_bucket\{le="[\d.]+",signal="traces",transport="http",code="415"\}/);
    assert.match(text, /loupe_span_requests_total\{service="bad-input",route="\/users\/:id",outcome="ok"\} 1/);
    assert.match(text, /loupe_span_request_duration_seconds_count\{service="bad-input",route="\/users\/:id"\} 1/);
    assert.match(text, /loupe_store_bytes\{signal="traces"\} [1-9]/);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    assert.equal((await fetch(`${running.httpUrl}/api/nope`)).status, 404);
    const res = await fetch(`${running.httpUrl}/api/traces`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET');
  });

  it('stops on POST /api/shutdown, telling event-stream clients why first', async () => {
    const other = await startTestEngine();
    const res = await fetch(`${other.httpUrl}/api/events`);
    const reader = res.body!.getReader();
    assert.equal((await fetch(`${other.httpUrl}/api/shutdown`)).status, 405);
    const stop = await fetch(`${other.httpUrl}/api/shutdown?reason=${encodeURIComponent('Stop Collector in VS Code')}`, { method: 'POST' });
    assert.equal(stop.status, 202);
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    assert.match(text, /event: shutdown\ndata: \{"reason":"Stop Collector in VS Code"\}/);
    await assert.rejects(fetch(`${other.httpUrl}/api/status`), 'the listeners are closed');
  });

  it('clears all data on DELETE /api/data, and says so on the event stream', async () => {
    const controller = new AbortController();
    const events = await fetch(`${running.httpUrl}/api/events`, { signal: controller.signal });
    const reader = events.body!.getReader();
    assert.equal((await fetch(`${running.httpUrl}/api/data`, { method: 'DELETE' })).status, 200);
    let text = '';
    while (!/"cleared":true/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const { body } = await getJson<StatusResponse>(running.httpUrl, '/api/status');
    assert.equal(body.counts.spans, 0);
  });
});
