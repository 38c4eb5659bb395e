// The engine killed from outside while the real OpenTelemetry SDK sends to it: the
// extension's collector notices, starts it again on the same ports and says why; the
// SDK's exporter retries until the new engine answers. Spans are counted, not
// estimated: killed between batches with a data folder (the default), every span
// arrives, those written before the kill included; killed as an export starts (memory
// only), every span from that export on arrives, once.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { StatusResponse } from '../src/protocol/api.ts';
import { Collector, type CollectorState } from '../src/extension/engine/collector.ts';
import { findFreePort } from '../src/extension/engine/freePort.ts';
import { getJson } from './support/engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'loupe-kill-'));
const collectors: Collector[] = [];
after(async () => {
  for (const c of collectors) await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 50);
    };
    void tick();
  });
}

function running(state: CollectorState) {
  assert.equal(state.kind, 'running', state.kind === 'failed' ? state.message : state.kind);
  return state as Extract<CollectorState, { kind: 'running' }>;
}

async function status(url: string): Promise<StatusResponse> {
  return (await getJson<StatusResponse>(url, '/api/status')).body;
}

/** Bytes of segment files on disk: once they equal what the tier was handed, everything acknowledged is written. */
function writtenBytes(dataDir: string): number {
  return readdirSync(dataDir).filter((f) => f.endsWith('.log')).reduce((n, f) => n + statSync(join(dataDir, f)).size, 0);
}

interface ExportCall { spans: number; result?: ExportResult }

/**
 * An SDK that sends in small batches, and every export it made, in the order they
 * started. `onExport` runs as an export starts, before its request is sent.
 */
function sdk(url: string, onExport: (calls: ExportCall[]) => void = () => {}) {
  // The SDK's default export timeout (10 s) bounds its retries to about 8 s; a loaded
  // test machine may take longer to start an engine, so this client waits longer.
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 60_000 });
  const calls: ExportCall[] = [];
  const exportSpans = exporter.export.bind(exporter);
  exporter.export = (spans: ReadableSpan[], done: (r: ExportResult) => void) => {
    const call: ExportCall = { spans: spans.length };
    calls.push(call);
    onExport(calls);
    exportSpans(spans, (result) => {
      call.result = result;
      done(result);
    });
  };
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50, maxExportBatchSize: 25, maxQueueSize: 10_000, exportTimeoutMillis: 90_000 })],
  });
  return { tracer: provider.getTracer('kill-test'), provider, calls };
}

async function collectorOn(persistence: boolean): Promise<{ c: Collector; first: Extract<CollectorState, { kind: 'running' }>; dataDir: string }> {
  const httpPort = await findFreePort('127.0.0.1');
  const dataDir = join(dir, `data-${httpPort}`);
  const c = new Collector({
    enginePath: resolve(__dirname, '../dist/engine.js'), host: '127.0.0.1', httpPort, grpcPort: await findFreePort('127.0.0.1'),
    memoryBudgetMb: 32, exitWhenUnusedMs: 120_000, logFile: join(dir, `engine-${httpPort}.log`),
    ...(persistence && { disk: { dataDir, budgetMb: 64, retentionHours: 1 } }),
  }, { info() {}, warn() {}, error() {}, engine() {} });
  collectors.push(c);
  return { c, first: running(await c.start()), dataDir };
}

/** Waits for the collector's restart; checks it says why and kept the address. */
async function restarted(c: Collector, first: Extract<CollectorState, { kind: 'running' }>, pid: number) {
  await until(() => c.state.kind === 'running' && c.state.status.instanceId !== first.status.instanceId, 'the restart');
  const state = running(c.state);
  assert.equal(state.restartedAfter, `its process ${pid} was ended by SIGKILL`, 'the collector says why');
  assert.equal(state.httpUrl, first.httpUrl, 'on the same port: apps keep sending there');
  return state;
}

function allSucceeded(calls: ExportCall[]): void {
  assert.deepEqual(calls.filter((call) => call.result?.code !== ExportResultCode.SUCCESS).map((call) => call.result?.error?.message ?? 'no result'), [], 'every export succeeded in the end');
}

describe('the engine killed mid-ingest', () => {
  it('with a data folder, killed between batches: restarted on the same ports, and every span arrives, those written before the kill and those ended after it', async () => {
    diag.disable();
    const { c, first, dataDir } = await collectorOn(true);
    const { tracer, provider, calls } = sdk(first.httpUrl);
    const before = 200;
    for (let i = 0; i < before; i++) tracer.startSpan(`before ${i}`).end();
    await provider.forceFlush();
    await until(async () => writtenBytes(dataDir) === (await status(first.httpUrl)).disk!.bytes, 'the acknowledged spans to be written');

    const pid = c.enginePid!;
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    // Spans end while the engine is dead and while it starts again: each export fails, and is retried.
    const after = 300;
    for (let i = 0; i < after; i++) {
      tracer.startSpan(`after ${i}`).end();
      if (i % 25 === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const state = await restarted(c, first, pid);
    const restartMs = Date.now() - killedAt;
    await provider.forceFlush();
    await provider.shutdown();
    allSucceeded(calls);
    assert.equal(calls.reduce((n, call) => n + call.spans, 0), before + after);
    const counts = (await status(state.httpUrl)).counts;
    assert.equal(counts.spans, before + after, 'spans in the restarted engine');
    console.log(`  engine back ${restartMs} ms after SIGKILL; ${calls.length} exports, ${counts.spans} of ${before + after} spans stored`);
  });

  it('memory only, killed as an export starts: every span from that export on arrives once', async () => {
    diag.disable();
    const { c, first } = await collectorOn(false);
    const pid = c.enginePid!;
    let killedAt = 0;
    let killedOn = -1;
    // The kill comes as the fifth export (or the first after it with no other in flight) starts: its request is on its way.
    const { tracer, provider, calls } = sdk(first.httpUrl, (made) => {
      if (killedAt || made.length < 5 || made.slice(0, -1).some((call) => !call.result)) return;
      process.kill(pid, 'SIGKILL');
      killedAt = Date.now();
      killedOn = made.length - 1;
    });
    const total = 600;
    for (let i = 0; i < total; i++) {
      tracer.startSpan(`span ${i}`).end();
      if (i % 25 === 0) await new Promise((r) => setTimeout(r, 60));
    }
    await until(() => killedAt > 0, 'the kill');
    const state = await restarted(c, first, pid);
    const restartMs = Date.now() - killedAt;
    await provider.forceFlush();
    await provider.shutdown();
    allSucceeded(calls);
    const lost = calls.slice(0, killedOn).reduce((n, call) => n + call.spans, 0);
    assert.equal(calls.reduce((n, call) => n + call.spans, 0), total);
    const counts = (await status(state.httpUrl)).counts;
    assert.equal(counts.spans, total - lost, 'spans exported from the kill on, each once, in the restarted engine (the old one held the rest in memory)');
    console.log(`  engine back ${restartMs} ms after SIGKILL mid-export; ${calls.length} exports, ${counts.spans} spans sent from the kill on, all stored`);
  });
});
