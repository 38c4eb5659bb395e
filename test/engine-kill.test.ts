// The engine killed from outside while the real OpenTelemetry SDK sends to it: the
// extension's collector notices, starts it again on the same ports and says why; the
// SDK's exporter retries until the new engine answers, so every span ended after the
// kill arrives, and with a data folder (the default) so does every span acknowledged
// and written before it. Spans are counted, not estimated.

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

/** An SDK that sends in small batches, and the result of every export it made. */
function sdk(url: string) {
  // The SDK's default export timeout (10 s) bounds its retries to about 8 s; a loaded
  // test machine may take longer to start an engine, so this client waits longer.
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 60_000 });
  const results: { spans: number; result: ExportResult }[] = [];
  const exportSpans = exporter.export.bind(exporter);
  exporter.export = (spans: ReadableSpan[], done: (r: ExportResult) => void) => exportSpans(spans, (result) => {
    results.push({ spans: spans.length, result });
    done(result);
  });
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50, maxExportBatchSize: 25, maxQueueSize: 10_000, exportTimeoutMillis: 90_000 })],
  });
  return { tracer: provider.getTracer('kill-test'), provider, results };
}

describe('the engine killed mid-ingest', () => {
  for (const persistence of [true, false]) {
    it(`is restarted on the same ports and an SDK that retries loses nothing sent after the kill${persistence ? ', nor anything written before it' : ''} (${persistence ? 'data folder' : 'memory only'})`, async () => {
      diag.disable();
      const httpPort = await findFreePort('127.0.0.1');
      const dataDir = join(dir, `data-${httpPort}`);
      const c = new Collector({
        enginePath: resolve(__dirname, '../dist/engine.js'), host: '127.0.0.1', httpPort, grpcPort: await findFreePort('127.0.0.1'),
        memoryBudgetMb: 32, exitWhenUnusedMs: 120_000, logFile: join(dir, `engine-${httpPort}.log`),
        ...(persistence && { disk: { dataDir, budgetMb: 64, retentionHours: 1 } }),
      }, { info() {}, warn() {}, error() {}, engine() {} });
      collectors.push(c);
      const first = running(await c.start());
      const { tracer, provider, results } = sdk(first.httpUrl);

      const before = 200;
      for (let i = 0; i < before; i++) tracer.startSpan(`before ${i}`).end();
      await provider.forceFlush();
      if (persistence) await until(async () => writtenBytes(dataDir) === (await status(first.httpUrl)).disk!.bytes, 'the acknowledged spans to be written');

      const pid = c.enginePid!;
      process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();
      // Spans end while the engine is dead and while it starts again: each export fails, and is retried.
      const after = 300;
      for (let i = 0; i < after; i++) {
        tracer.startSpan(`after ${i}`).end();
        if (i % 25 === 0) await new Promise((r) => setTimeout(r, 50));
      }
      await until(() => c.state.kind === 'running' && c.state.status.instanceId !== first.status.instanceId, 'the restart');
      const restartMs = Date.now() - killedAt;
      const restarted = running(c.state);
      assert.equal(restarted.restartedAfter, `its process ${pid} was ended by SIGKILL`, 'the collector says why');
      assert.equal(restarted.httpUrl, first.httpUrl);

      await provider.forceFlush();
      await provider.shutdown();
      const failed = results.filter((r) => r.result.code !== ExportResultCode.SUCCESS);
      assert.deepEqual(failed.map((r) => r.result.error?.message), [], 'every export succeeded in the end');
      assert.equal(results.reduce((n, r) => n + r.spans, 0), before + after);
      const counts = (await status(restarted.httpUrl)).counts;
      assert.equal(counts.spans, persistence ? before + after : after, 'spans in the restarted engine');
      console.log(`  engine back ${restartMs} ms after SIGKILL; ${results.length} exports, ${counts.spans} spans stored`);
    });
  }
});
