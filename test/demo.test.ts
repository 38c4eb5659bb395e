// `npm run demo` against a real engine: the demo's telemetry must show everything the
// UI is built to show — traces across two services, failures with stack traces that
// lead into the demo's source, code.* links to real lines, correlated logs — and the
// services must serve Prometheus metrics.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../src/engine/server.ts';
import type { LogsResponse, MetricSummary, SignalRoute, TracesResponse } from '../src/protocol/api.ts';
import { readConfig } from '../demo/config.ts';
import { latencyMs } from '../demo/simulation.ts';
import type { Span, TracesData } from '../src/protocol/otlp.ts';
import { plainAttributes } from '../src/shared/plainValue.ts';
import { spanSource } from '../src/shared/source/location.ts';
import { exceptionSource, parseStackTrace } from '../src/shared/source/stackTrace.ts';
import { getJson, startTestEngine } from './support/engine.ts';

const ROOT = join(__dirname, '..');
const DEMO_DIR = join(ROOT, 'demo') + sep;
const SPAN_KIND = { SERVER: 2, CLIENT: 3 };

interface ServiceSpan {
  service: string;
  span: Span;
  attributes: Record<string, unknown>;
}

let engine: RunningEngine;
let demo: ChildProcess;
let stderr = '';
const stdoutLines: string[] = [];
let exitCode: number | null;
let metricsResponse: { contentType: string; text: string };

before(async () => {
  engine = await startTestEngine();
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: engine.httpUrl, DEMO_SECONDS: '4', DEMO_RATE: '15', DEMO_USER_PORT: '0', DEMO_PROFILE_PORT: '0' };
  for (const signal of ['TRACES', 'LOGS', 'METRICS']) delete env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`];
  demo = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: demo.stdout! }).on('line', (line) => stdoutLines.push(line));
  demo.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));

  const userServiceUrl = await announced('user-service', exited);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const res = await fetch(`${userServiceUrl}/metrics`);
  metricsResponse = { contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  exitCode = await exited;
});

after(async () => {
  if (demo.exitCode === null) demo.kill();
  await engine?.close();
});

/** The URL the demo prints for a service once it listens. */
async function announced(service: string, exited: Promise<unknown>): Promise<string> {
  const pattern = new RegExp(`${service}\\s+(http://127\\.0\\.0\\.1:\\d+)`);
  const deadline = Date.now() + 30_000;
  let stopped = false;
  void exited.then(() => (stopped = true));
  while (Date.now() < deadline && !stopped) {
    const m = pattern.exec(stderr);
    if (m) return m[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the demo did not announce ${service}; it wrote:\n${stderr}`);
}

async function traceSpans(traceId: string): Promise<ServiceSpan[]> {
  const { status, body } = await getJson<TracesData>(engine.httpUrl, `/api/traces/${traceId}`);
  assert.equal(status, 200);
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const service = String(plainAttributes(rs.resource?.attributes)['service.name']);
    return (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((span) => ({ service, span, attributes: plainAttributes(span.attributes) })));
  });
}

async function traces(query: string): Promise<TracesResponse['traces']> {
  return (await getJson<TracesResponse>(engine.httpUrl, `/api/traces?limit=1000${query}`)).body.traces;
}

function sourceLine(path: string, line: number): string {
  return readFileSync(path, 'utf8').split('\n')[line - 1] ?? '';
}

describe('npm run demo', { timeout: 90_000 }, () => {
  it('runs for DEMO_SECONDS, then flushes and exits cleanly', () => {
    assert.equal(exitCode, 0, stderr);
    assert.match(stderr, /sending telemetry to Loupe/);
  });

  it('serves prom-client metrics: request counters, duration histograms, in-flight gauges', () => {
    const { contentType, text } = metricsResponse;
    assert.match(contentType, /^text\/plain/);
    assert.match(text, /^http_server_requests_total\{[^}]*route="\/users\/:id"[^}]*\} [1-9]/m);
    assert.match(text, /^http_server_request_duration_seconds_bucket\{[^}]*le="0\.1"/m);
    assert.match(text, /^# TYPE http_server_requests_in_flight gauge$/m);
    assert.match(text, /^user_cache_lookups_total\{[^}]*result="(hit|miss)"/m);
    assert.match(text, /^process_cpu_user_seconds_total/m);
  });

  it('joins both services in one trace: the profile server span is the child of the user client span', async () => {
    const crossing = (await traces('&service=profile-service')).filter((t) => t.services.includes('user-service'));
    assert.ok(crossing.length > 0, 'no trace spans both services');
    const spans = await traceSpans(crossing[0]!.traceId);
    const server = spans.find((s) => s.service === 'profile-service' && s.span.kind === SPAN_KIND.SERVER)!;
    const parent = spans.find((s) => s.span.spanId === server.span.parentSpanId);
    assert.ok(parent, 'the profile service span has no parent in the trace');
    assert.equal(parent.service, 'user-service');
    assert.equal(parent.span.kind, SPAN_KIND.CLIENT);
    assert.equal(server.attributes['http.route'], '/profiles/:id');
  });

  it('records failures as exception events whose stack trace leads into the demo source', async () => {
    const failed = await traces('&service=user-service&status=error');
    assert.ok(failed.length > 0, 'no error traces');
    const exceptions = (await Promise.all(failed.slice(0, 5).map((t) => traceSpans(t.traceId))))
      .flat()
      .flatMap((s) => (s.span.events ?? []).filter((e) => e.name === 'exception').map((e) => ({ span: s, attributes: plainAttributes(e.attributes) })));
    assert.ok(exceptions.length > 0, 'error traces without exception events');
    for (const { span, attributes } of exceptions) {
      assert.equal(span.span.status?.code, 2);
      const frames = parseStackTrace(String(attributes['exception.stacktrace']));
      assert.ok(frames.some((f) => f.userCode && f.location!.path.startsWith(DEMO_DIR)), String(attributes['exception.stacktrace']));
      const thrownAt = exceptionSource(attributes)!;
      // A request that times out on a busy machine fails where its error is made, not thrown.
      assert.match(sourceLine(thrownAt.path, thrownAt.line!), /\bthrow\b|new Error\(/, `${thrownAt.path}:${thrownAt.line} is not where the exception was thrown or made`);
    }
  });

  it('puts code.* attributes on every span, pointing at the line of the call that made it', async () => {
    const sample = [...(await traces('&service=profile-service')).slice(0, 3), ...(await traces('&status=error')).slice(0, 3)];
    const spans = (await Promise.all(sample.map((t) => traceSpans(t.traceId)))).flat();
    assert.ok(spans.length >= 10);
    for (const { span, attributes } of spans) {
      const source = spanSource(attributes);
      assert.ok(source && source.path.startsWith(DEMO_DIR), `span ${span.name} has no code.file.path in demo/`);
      assert.ok(source.function, `span ${span.name} has no code.function.name`);
      const line = sourceLine(source.path, source.line!);
      // Server spans link to the route's declaration; the others to the call that started them.
      const expected =
        span.kind === SPAN_KIND.SERVER ? `'${String(attributes['http.route'])}'` : attributes['http.request.method'] ? '.getJson(' : `inSpan(`;
      assert.ok(line.includes(expected), `span ${span.name}: ${source.path}:${source.line} reads "${line.trim()}", expected ${expected}`);
      assert.ok(source.column! >= 1 && source.column! <= line.length);
    }
  });

  it('writes logs with trace ids of stored traces, to Loupe and as JSON lines on stdout', async () => {
    const { body } = await getJson<LogsResponse>(engine.httpUrl, '/api/logs?limit=1000');
    const correlated = body.logs.filter((l) => l.traceId);
    assert.ok(correlated.length > 0);
    assert.deepEqual(new Set(correlated.map((l) => l.service)), new Set(['user-service', 'profile-service']));
    const { status } = await getJson(engine.httpUrl, `/api/traces/${correlated[0]!.traceId}`);
    assert.equal(status, 200);

    const logged = body.logs.find((l) => l.attributes['code.file.path'])!;
    const source = spanSource(logged.attributes)!;
    assert.match(sourceLine(source.path, source.line!), /\blog\.(debug|info|warn|error)\(/);

    const printed = stdoutLines.map((line) => JSON.parse(line) as { trace_id?: string; message: string });
    assert.ok(printed.length > 0);
    const printedTraceIds = new Set(printed.map((l) => l.trace_id));
    assert.ok(correlated.some((l) => printedTraceIds.has(l.traceId)));
  });

  it('sends saturation metrics over OTLP and golden signals per route', async () => {
    const { body: metrics } = await getJson<MetricSummary[]>(engine.httpUrl, '/api/metrics');
    const names = new Set(metrics.map((m) => m.name));
    for (const name of ['process.cpu.utilization', 'process.memory.usage', 'nodejs.eventloop.delay.p99', 'db.client.connection.count', 'http.server.active_requests']) {
      assert.ok(names.has(name), `${name} is sent`);
    }
    const { body: routes } = await getJson<SignalRoute[]>(engine.httpUrl, `/api/signals/routes?service=user-service&start=${BigInt(Date.now() - 60_000) * 1_000_000n}`);
    assert.equal(routes[0]?.route, '/users/:id');
    assert.ok(routes[0].requests > 10);
  });
});

describe('npm run demo with DEMO_SLOW=1', { timeout: 90_000 }, () => {
  it('reads DEMO_SLOW and rejects what it cannot read', () => {
    assert.equal(readConfig({ DEMO_SLOW: '1' }).slow, true);
    assert.equal(readConfig({}).slow, false);
    assert.throws(() => readConfig({ DEMO_SLOW: 'very' }), /DEMO_SLOW=very: expected 1 or 0/);
  });

  it('makes the database queries slower', () => {
    // The slow mode's typical query (70 ms, log-normal) against the normal one (12 ms).
    const draws = (slow: boolean) => {
      const values: number[] = [];
      for (let i = 0; i < 2000; i++) values.push(slow ? latencyMs(70) : latencyMs(12));
      return values.sort((a, b) => a - b)[1000]!;
    };
    assert.ok(draws(true) > 2.5 * draws(false));
  });
});
