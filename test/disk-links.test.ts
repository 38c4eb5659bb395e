// With the disk tier on, back-links (`/api/traces/{id}/backlinks`) read the spans memory
// evicted too: an engine with a small memory budget lists the spans linking into a trace
// as one whose memory holds everything, whether the linking spans arrived as protobuf or
// as OTLP/JSON, before and after a restart; past the cap, each link once and `truncated`.
// Telemetry is sent with the real OpenTelemetry SDK.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanContext } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { findBackLinks } from '../src/engine/query/backLinks.ts';
import { traceKeyFromHex } from '../src/engine/store/traceEntry.ts';
import type { BackLink, BackLinksResponse } from '../src/protocol/api.ts';
import { getJson } from './support/engine.ts';
import { span } from './ui/support/sdkTraces.ts';

const MiB = 1048576;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const PAD = 'x'.repeat(1000);
const T0 = Date.now() - 10 * 60_000;

class Recorder {
  readonly memory = new InMemorySpanExporter();
  readonly tracer = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'worker' }), spanProcessors: [new SimpleSpanProcessor(this.memory)] })
    .getTracer('loupe-disk-links-test');

  /** Sends what was recorded to every engine, as protobuf or OTLP/JSON. */
  async send(urls: string[], encoding: 'protobuf' | 'json' = 'protobuf'): Promise<void> {
    const spans = this.memory.getFinishedSpans();
    for (const url of urls) {
      const options = { url: `${url}/v1/traces`, timeoutMillis: 60_000 };
      await exportSpans(encoding === 'json' ? new JsonTraceExporter(options) : new ProtoTraceExporter(options), spans);
    }
    this.memory.reset();
  }
}

async function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  await new Promise<void>((resolve, reject) => exporter.export(spans, (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error('export failed')))));
  await exporter.shutdown();
}

/** A batch job's trace: a root and a step, the spans others link to. */
function target(rec: Recorder, n: number): SpanContext[] {
  const start = T0 + n;
  const contexts: SpanContext[] = [];
  span(rec.tracer, `batch ${n}`, undefined, start, start + 50, {}, (root) => {
    contexts.push(root.spanContext());
    contexts.push(span(rec.tracer, 'step', root, start + 1, start + 20).spanContext());
  });
  return contexts;
}

/** Request `n` of its own trace, with padding so memory fills; `links` it names. */
function request(rec: Recorder, n: number, links: SpanContext[] = []): void {
  const start = T0 + 1000 + n * 20;
  span(rec.tracer, 'GET /orders', undefined, start, start + 10, { attributes: { pad: PAD } }, (root) => {
    span(rec.tracer, links.length ? 'enqueue' : 'query', root, start + 1, start + 5, { attributes: { pad: PAD }, links: links.map((context) => ({ context })) });
  });
}

function start(dataDir: string | undefined, memoryBudgetBytes: number): Promise<RunningEngine> {
  return startEngine({
    host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes, maxBodyBytes: 20 * MiB,
    ...(dataDir && { dataDir, diskBudgetBytes: 64 * MiB, retentionHours: 72 }),
  });
}

const sorted = (links: BackLink[]) => [...links].sort((a, b) => `${a.traceId}${a.spanId}${a.linkedSpanId}`.localeCompare(`${b.traceId}${b.spanId}${b.linkedSpanId}`));

describe('back-links with the disk tier on', () => {
  it('are found in the spans memory evicted, protobuf and JSON, as a memory holding everything finds them, before and after a restart, up to the cap', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'loupe-disk-links-')), 'data');
    dirs.push(dataDir);
    const whole = await start(undefined, 512 * MiB);
    let small = await start(dataDir, 8 * MiB);
    const urls = [whole.httpUrl, small.httpUrl];
    try {
      const rec = new Recorder();
      const [jobA, jobB, jobC] = [target(rec, 0), target(rec, 1), target(rec, 2)];
      await rec.send(urls);
      // More spans link into job C than an answer lists.
      let n = 0;
      for (let k = 0; k < 230; k++, n++) request(rec, n, [jobC[k % 2]]);
      await rec.send(urls);
      // Early requests link into the jobs (some to both, some to one span twice), then many without links push them out of memory.
      for (let round = 0; round < 6; round++) {
        for (let k = 0; k < 20; k++, n++) request(rec, n, k % 5 === 0 ? [jobA[0], jobB[1]] : k % 7 === 0 ? [jobA[1], jobA[0]] : [jobA[k % 2]]);
        await rec.send(urls, round % 2 ? 'json' : 'protobuf');
      }
      for (let round = 0; round < 40; round++) {
        for (let k = 0; k < 200; k++, n++) request(rec, n);
        await rec.send(urls);
      }
      // A few links arrive last: memory still holds them.
      for (let k = 0; k < 5; k++, n++) request(rec, n, [jobA[0]]);
      await rec.send(urls, 'json');
      await small.engine.disk!.written();
      assert.equal(whole.engine.traces.evictedSpans, 0, 'the reference engine holds everything');
      assert.ok(small.engine.traces.evictedSpans > small.engine.traces.spanCount, `most spans left memory: ${small.engine.traces.evictedSpans} evicted`);

      await sameAsWhole(whole, small, [[jobA, 137], [jobB, 24]]);
      await capped(small, jobC[0].traceId);

      // After a restart, memory holds the newest records loaded back; the links are read from the segments.
      await small.close();
      small = await start(dataDir, 8 * MiB);
      await loaded(small.httpUrl);
      await sameAsWhole(whole, small, [[jobA, 137], [jobB, 24]]);
      await capped(small, jobC[0].traceId);
    } finally {
      await small.close();
      await whole.close();
    }
  });
});

/** Each job's back-links from `small` equal the reference's; memory's own come first. */
async function sameAsWhole(whole: RunningEngine, small: RunningEngine, jobs: [SpanContext[], number][]): Promise<void> {
  for (const [job, count] of jobs) {
    const id = job[0].traceId;
    const expected = (await getJson<BackLinksResponse>(whole.httpUrl, `/api/traces/${id}/backlinks`)).body;
    assert.equal(expected.backlinks.length, count, 'the reference finds every link');
    assert.equal(expected.truncated, false);
    const answer = (await getJson<BackLinksResponse>(small.httpUrl, `/api/traces/${id}/backlinks`)).body;
    assert.equal(answer.truncated, false);
    assert.deepEqual(sorted(answer.backlinks), sorted(expected.backlinks), `back-links of ${id}`);
    // Memory's own answer is smaller, and it comes first.
    const memoryOnly = findBackLinks(small.engine.traces, { key: traceKeyFromHex(id)!, traceId: id });
    assert.ok(memoryOnly.backlinks.length < count, `memory alone finds ${memoryOnly.backlinks.length} of ${count}`);
    if (count > 100) assert.ok(memoryOnly.backlinks.length >= 5, 'the last links are in memory');
    assert.deepEqual(answer.backlinks.slice(0, memoryOnly.backlinks.length), memoryOnly.backlinks);
  }
}

/** More links than the cap: 200, each once, `truncated`, from both tiers. */
async function capped(engine: RunningEngine, id: string): Promise<void> {
  const answer = (await getJson<BackLinksResponse>(engine.httpUrl, `/api/traces/${id}/backlinks`)).body;
  assert.equal(answer.truncated, true);
  assert.equal(answer.backlinks.length, 200);
  assert.equal(new Set(answer.backlinks.map((l) => `${l.traceId}/${l.spanId}/${l.linkedSpanId}`)).size, 200, 'each link once');
  assert.ok(answer.backlinks.every((l) => l.name === 'enqueue'));
}

/** Waits until the last session's newest records are back in memory. */
async function loaded(base: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const state = (await getJson(base, '/api/status')).body.disk?.reload?.state;
    if (state === 'done') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the last session was not loaded back');
}
