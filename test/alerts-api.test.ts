// Alerts over HTTP: rules in through `PUT /api/alerts/rules` (a bad one named by its
// field), state out through `GET /api/alerts` and `/api/events`, on a service that only
// sends request metrics (the real metrics SDK), and `--alert-rules FILE` checked up front.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { readAlertRulesFile } from '../src/engine/alerts/alertRulesFile.ts';
import type { RunningEngine } from '../src/engine/server.ts';
import type { AlertChange, AlertStatus } from '../src/protocol/alerts.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

async function putRules(body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${running.httpUrl}/api/alerts/rules`, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Collects `/api/events` change events until `until` holds for one of them. */
async function nextAlertEvent(until: (changes: AlertChange[]) => boolean, trigger: () => Promise<unknown>): Promise<AlertChange[]> {
  const controller = new AbortController();
  const res = await fetch(`${running.httpUrl}/api/events`, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  await reader.read(); // the stream is open: the first event is the engine's counts
  await trigger();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      text += decoder.decode(value, { stream: true });
      for (const block of text.split('\n\n')) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const alerts = data ? (JSON.parse(data) as { alerts?: AlertChange[] }).alerts : undefined;
        if (alerts && until(alerts)) return alerts;
      }
    }
  } finally {
    controller.abort();
  }
}

describe('alert rules over HTTP', () => {
  it('refuses a bad rule with 400 naming its field, and keeps the rules it had', async () => {
    assert.equal((await putRules([{ name: 'ok', service: 'a', signal: 'p99Ms', op: '>', threshold: 5, forSeconds: 0 }])).status, 200);
    const bad = await putRules([{ name: 'slow', service: 'shop', signal: 'p99Ms', op: '>', threshold: '500ms', forSeconds: 60 }]);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /rules\[0\] \("slow"\)\.threshold: expected a number/);
    assert.equal((await putRules('{not json')).status, 400);
    const kept = await getJson(running.httpUrl, '/api/alerts/rules');
    assert.deepEqual(kept.body.rules.map((r: { name: string }) => r.name), ['ok']);
    assert.equal((await fetch(`${running.httpUrl}/api/alerts`, { method: 'POST' })).status, 405);
  });

  it('fires on a metrics-only service, listed with the value that fired it and announced on /api/events', async () => {
    const service = 'metrics-only';
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${running.httpUrl}/v1/metrics`, temporalityPreference: AggregationTemporality.DELTA }),
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service }), readers: [reader] });
    const h = provider.getMeter('alerts').createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1] } });
    for (let i = 0; i < 50; i++) h.record(i < 45 ? 0.04 : 0.7, { 'http.route': '/pay', 'http.response.status_code': i < 45 ? 200 : 503 });
    await reader.forceFlush();
    await provider.shutdown();

    const changes = await nextAlertEvent((c) => c.some((x) => x.name === 'pay p99' && x.state === 'firing'), () => putRules({
      rules: [
        { name: 'pay p99', service, route: '/pay', signal: 'p99Ms', op: '>', threshold: 250, forSeconds: 0 },
        { name: 'pay errors', service, route: '/pay', signal: 'errorRate', op: '>', threshold: 0.5, forSeconds: 0 },
      ],
      builtIn: { 'route-error-rate-jump': false },
    }));
    assert.match(changes.find((c) => c.name === 'pay p99')!.message, /p99 of \/pay \(metrics-only\)/);
    const alerts = (await getJson<AlertStatus[]>(running.httpUrl, '/api/alerts')).body;
    const p99 = alerts.find((a) => a.name === 'pay p99')!;
    assert.equal(p99.state, 'firing');
    assert.equal(p99.source, 'metrics');
    assert.ok(p99.value! > 500 && p99.value! <= 1000, `p99 ${p99.value} ms lies in the 500–1000 ms bucket`);
    assert.equal(p99.firedValue, p99.value);
    assert.ok(p99.firedAt && BigInt(p99.since) > 0n);
    const errors = alerts.find((a) => a.name === 'pay errors')!;
    assert.equal(errors.state, 'inactive');
    assert.equal(errors.value, 0.1);
    assert.equal(alerts.filter((a) => a.builtIn === 'route-error-rate-jump').length, 0);
  });
});

describe('--alert-rules FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-alert-rules-'));
  it('reads a rules file and names the file and the field when it is wrong', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify([{ name: 'x', service: 's', signal: 'errorRate', op: '>', threshold: 0.1, forSeconds: 30 }]));
    assert.equal((readAlertRulesFile(good) as unknown[]).length, 1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ name: 'x', service: 's', signal: 'errorRate', op: '>', threshold: 0.1, forSeconds: 'soon' }]));
    assert.throws(() => readAlertRulesFile(bad), /--alert-rules .*bad\.json: rules\[0\] \("x"\)\.forSeconds/);
    writeFileSync(bad, '[{');
    assert.throws(() => readAlertRulesFile(bad), /bad\.json: not JSON/);
    assert.throws(() => readAlertRulesFile(join(dir, 'missing.json')), /missing\.json: cannot read it \(ENOENT\)/);
  });
});
