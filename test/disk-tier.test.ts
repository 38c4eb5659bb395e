// The on-disk tier (--data-dir) against real engines: data survives a restart and a
// SIGKILL, what memory evicts is still answered from disk, damaged segments are detected
// and counted, a full disk stops only the disk tier, and two engines never share a folder.

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import type { DiskStatus } from '../src/protocol/api.ts';
import { startEngineChild } from './support/engineChild.ts';
import { getJson } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const MiB = 1048576;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'loupe-disk-'));
  dirs.push(d);
  return join(d, 'data');
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/** A request of `traces` traces of three spans each, with ids from `first` + 1 (an all-zero id is invalid), and a padding attribute. */
function traceBatch(first: number, traces: number, padding = 50): Buffer {
  const spans = [];
  for (let t = first; t < first + traces; t++) {
    for (let s = 1; s <= 3; s++) {
      spans.push(validSpan({
        traceId: hex(t + 1, 32), spanId: hex(t * 4 + s, 16), parentSpanId: s > 1 ? hex(t * 4 + 1, 16) : undefined, name: `op ${s}`,
        startTimeUnixNano: String(1700000000000000000n + BigInt(t) * 1000000n + BigInt(s)), endTimeUnixNano: String(1700000000000000000n + BigInt(t) * 1000000n + 500000n),
        attributes: [{ key: 'pad', value: { stringValue: 'p'.repeat(padding) } }],
      }));
    }
  }
  return tracesRequest(spans);
}

function logBatch(first: number, count: number): string {
  const logRecords = Array.from({ length: count }, (_, i) => ({
    timeUnixNano: String(1700000000000000000n + BigInt(first + i) * 1000n), severityNumber: 9 + (i % 3) * 4,
    body: { stringValue: `record ${first + i} of the disk test` }, traceId: hex(first + i + 1, 32),
  }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'logger' } }] }, scopeLogs: [{ logRecords }] }] });
}

const METRICS = JSON.stringify({ resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'meter' } }] }, scopeMetrics: [{ metrics: [{ name: 'queue.depth', unit: '1', gauge: { dataPoints: [{ timeUnixNano: '1700000000000000000', asInt: '7' }, { timeUnixNano: '1700000001000000000', asInt: '9' }] } }] }] }] });

async function post(base: string, signal: string, body: Buffer | string): Promise<number> {
  const type = typeof body === 'string' ? 'application/json' : 'application/x-protobuf';
  const res = await fetch(`${base}/v1/${signal}`, { method: 'POST', headers: { 'content-type': type }, body });
  await res.arrayBuffer();
  return res.status;
}

async function disk(base: string): Promise<DiskStatus> {
  return (await getJson(base, '/api/status')).body.disk;
}

function inProcess(dataDir: string, extra: { memoryBudgetMb?: number; diskBudgetMb?: number } = {}): Promise<RunningEngine> {
  return startEngine({
    host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: (extra.memoryBudgetMb ?? 64) * MiB, maxBodyBytes: 20 * MiB,
    dataDir, diskBudgetBytes: (extra.diskBudgetMb ?? 1024) * MiB, retentionHours: 72,
  });
}

const QUERIES = ['/api/traces?limit=1000', `/api/traces/${hex(5, 32)}`, '/api/traces?service=bad-input&operation=op%202&limit=20', '/api/logs?limit=1000', '/api/logs?minSeverity=warn', '/api/services', '/api/metrics', '/api/operations'];

describe('the disk tier', () => {
  it('answers the same queries the same after the engine restarts', async () => {
    const dataDir = tempDir();
    const first = await startEngineChild(['--data-dir', dataDir]);
    for (let b = 0; b < 5; b++) assert.equal(await post(first.httpUrl, 'traces', traceBatch(b * 20, 20)), 200);
    assert.equal(await post(first.httpUrl, 'logs', logBatch(0, 300)), 200);
    assert.equal(await post(first.httpUrl, 'metrics', METRICS), 200);
    const before = await Promise.all(QUERIES.map((q) => getJson(first.httpUrl, q)));
    assert.equal(before[0].body.traces.length, 100);
    await first.stop();
    assert.ok(!readdirSync(dataDir).includes('loupe.lock'), 'a clean stop releases the folder');

    const second = await startEngineChild(['--data-dir', dataDir]);
    try {
      // The line follows the listening lines, possibly in a later chunk of the pipe.
      for (let i = 0; i < 50 && !/Keeping data on disk/.test(second.stdout()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(second.stdout(), /Keeping data on disk in .*: 1 segment/);
      const afterRestart = await Promise.all(QUERIES.map((q) => getJson(second.httpUrl, q)));
      for (const [i, q] of QUERIES.entries()) assert.deepEqual(afterRestart[i], before[i], q);
      const status = await disk(second.httpUrl);
      assert.deepEqual(status.counts, { spans: 300, logs: 300, metricPoints: 2, profiles: 0 });
      assert.equal(status.damage.rebuiltIndexes, 0, 'the index was read, not rebuilt');
    } finally {
      await second.stop();
    }
  });

  it('answers from disk what memory evicted, and says so', async () => {
    const engine = await inProcess(tempDir(), { memoryBudgetMb: 4 });
    try {
      for (let b = 0; b < 60; b++) await post(engine.httpUrl, 'traces', traceBatch(b * 50, 50, 400));
      for (let b = 0; b < 20; b++) await post(engine.httpUrl, 'logs', logBatch(b * 500, 500));
      const status = (await getJson(engine.httpUrl, '/api/status')).body;
      assert.ok(status.dropped.spans > 0 && status.dropped.logs > 0, 'memory evicted traces and logs');
      const oldest = hex(3, 32);
      assert.equal(engine.engine.traces.get(Buffer.from(oldest, 'hex').toString('latin1')), undefined, 'trace 3 left memory');
      const res = await fetch(`${engine.httpUrl}/api/traces/${oldest}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-loupe-tier'), 'disk');
      const trace = (await res.json()) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
      assert.equal(trace.resourceSpans[0].scopeSpans[0].spans.length, 3);
      const byId = (await getJson(engine.httpUrl, `/api/traces?q=${oldest}`)).body;
      assert.equal(byId.traces[0].traceId, oldest);
      assert.equal(byId.traces[0].fromDisk, true);
      const all = (await getJson(engine.httpUrl, '/api/traces?limit=1000&start=1700000000000000000&end=1700000000099900000')).body;
      assert.deepEqual(all.traces.map((t: { traceId: string }) => parseInt(t.traceId, 16)).sort((a: number, b: number) => a - b), Array.from({ length: 100 }, (_, i) => i + 1), 'the first 100 traces, all from disk, none twice');
      assert.ok(all.traces.every((t: { fromDisk?: boolean; spanCount: number }) => t.fromDisk && t.spanCount === 3));
      assert.ok(all.disk.segmentsRead >= 1);
      const logs = (await getJson(engine.httpUrl, '/api/logs?limit=5000')).body;
      assert.equal(logs.logs.length, 5000);
      const oldestLogs = (await getJson(engine.httpUrl, '/api/logs?end=1700000000000099000&limit=5000')).body;
      assert.equal(oldestLogs.logs.length, 100, 'the oldest 100 records, from disk, each once');
      assert.ok(oldestLogs.logs.every((l: { fromDisk?: boolean }) => l.fromDisk));
      const byTrace = (await getJson(engine.httpUrl, `/api/logs?traceId=${hex(8, 32)}`)).body;
      assert.deepEqual(byTrace.logs.map((l: { body: string }) => l.body), ['record 7 of the disk test']);
    } finally {
      await engine.close();
    }
  });

  it('loses at most the unsynced tail when killed mid-ingest, and reopens cleanly', async () => {
    const dataDir = tempDir();
    const engine = await startEngineChild(['--data-dir', dataDir]);
    const acked: { first: number; at: number }[] = [];
    let next = 0;
    let killedAt = 0;
    const sending = (async () => {
      while (!killedAt) {
        const first = next;
        next += 20;
        try {
          if ((await post(engine.httpUrl, 'traces', traceBatch(first, 20))) === 200) acked.push({ first, at: Date.now() });
        } catch {
          return;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 2500));
    killedAt = Date.now();
    await engine.stop('SIGKILL');
    await sending;
    assert.ok(readdirSync(dataDir).includes('loupe.lock'), 'the killed engine left its lock');

    const reopened = await startEngineChild(['--data-dir', dataDir]);
    try {
      const status = await disk(reopened.httpUrl);
      assert.equal(status.error, undefined);
      const settled = acked.filter((a) => a.at < killedAt - 1000);
      assert.ok(settled.length > 5, `${settled.length} requests acknowledged a second before the kill`);
      for (const a of settled) {
        const { status: code } = await getJson(reopened.httpUrl, `/api/traces/${hex(a.first + 20, 32)}`);
        assert.equal(code, 200, `trace ${a.first + 20}, acknowledged ${killedAt - a.at} ms before the kill`);
      }
      assert.ok(status.counts.spans >= settled.length * 60 && status.counts.spans <= acked.length * 60);
      // And the reopened folder takes new data.
      assert.equal(await post(reopened.httpUrl, 'traces', traceBatch(1e6, 1)), 200);
    } finally {
      await reopened.stop();
    }
  });

  it('cuts a torn tail and skips a damaged record, counting both', async () => {
    const dataDir = tempDir();
    let engine = await inProcess(dataDir, { diskBudgetMb: 1 });
    // Segments of 128 KiB at a 1 MiB budget: several of them.
    for (let b = 0; b < 10; b++) await post(engine.httpUrl, 'traces', traceBatch(b * 20, 20, 1000));
    await engine.close();
    const segments = readdirSync(dataDir).filter((f) => f.endsWith('.log')).sort();
    assert.ok(segments.length >= 2, `${segments.length} segments`);
    // A bit flipped in the first segment's first record body; a half-written record after the last one.
    const firstPath = join(dataDir, segments[0]);
    const bytes = readFileSync(firstPath);
    bytes[100] ^= 0x10;
    writeFileSync(firstPath, bytes);
    const lastPath = join(dataDir, segments.at(-1)!);
    appendFileSync(lastPath, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 0, 0]));
    rmSync(`${lastPath}.idx`);

    engine = await inProcess(dataDir, { diskBudgetMb: 1 });
    try {
      const status = await disk(engine.httpUrl);
      assert.equal(status.damage.tornBytes, 10);
      assert.equal(status.damage.rebuiltIndexes, 1);
      assert.equal(status.damage.damagedRecords, 1, 'the flipped record, found when read back');
      assert.equal((await getJson(engine.httpUrl, `/api/traces/${hex(1, 32)}`)).status, 404, 'the damaged record is skipped');
      assert.equal((await getJson(engine.httpUrl, `/api/traces/${hex(21, 32)}`)).status, 200, 'the record after it is read');
      assert.equal((await getJson(engine.httpUrl, `/api/traces/${hex(200, 32)}`)).status, 200, 'the last whole record is kept');
    } finally {
      await engine.close();
    }
  });

  it('keeps the disk budget by dropping the oldest segments, counted', async () => {
    const engine = await inProcess(tempDir(), { diskBudgetMb: 1 });
    try {
      for (let b = 0; b < 40; b++) await post(engine.httpUrl, 'traces', traceBatch(b * 20, 20, 1000));
      await new Promise((r) => setTimeout(r, 300));
      const status = await disk(engine.httpUrl);
      assert.ok(status.dropped.segments > 0 && status.dropped.spans > 0, JSON.stringify(status.dropped));
      assert.ok(status.bytes <= 1 * MiB, `${status.bytes} bytes on disk`);
      assert.equal(status.counts.spans + status.dropped.spans, 40 * 60);
    } finally {
      await engine.close();
    }
  });

  it('goes on in memory with a clear message when the disk is full', async () => {
    // The segment the engine will open is /dev/full, where every write fails with ENOSPC as on a full disk.
    const dataDir = tempDir();
    mkdirSync(dataDir);
    symlinkSync('/dev/full', join(dataDir, 'seg-0000000000000000.log'));
    const engine = await inProcess(dataDir);
    try {
      assert.equal(await post(engine.httpUrl, 'traces', traceBatch(0, 5)), 200);
      await new Promise((r) => setTimeout(r, 500));
      const status = await disk(engine.httpUrl);
      assert.match(status.error ?? '', /disk holding .* is full.*goes on in memory/);
      assert.equal(await post(engine.httpUrl, 'traces', traceBatch(5, 5)), 200);
      assert.equal((await getJson(engine.httpUrl, `/api/traces/${hex(7, 32)}`)).status, 200);
    } finally {
      await engine.close();
    }
  });

  it('refuses a folder another engine writes, and takes over from a dead one', async () => {
    const dataDir = tempDir();
    const first = await startEngineChild(['--data-dir', dataDir]);
    await assert.rejects(startEngineChild(['--data-dir', dataDir]), (err: Error & { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, new RegExp(`in use by another Loupe engine \\(pid ${first.child.pid}\\)`));
      return true;
    });
    await first.stop('SIGKILL');
    const successor = await startEngineChild(['--data-dir', dataDir]);
    assert.equal(readFileSync(join(dataDir, 'loupe.lock'), 'utf8'), String(successor.child.pid));
    await successor.stop();
  });

  it('clears both tiers on DELETE /api/data', async () => {
    const dataDir = tempDir();
    let engine = await inProcess(dataDir);
    try {
      await post(engine.httpUrl, 'traces', traceBatch(0, 10));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await fetch(`${engine.httpUrl}/api/data`, { method: 'DELETE' })).status, 200);
      assert.equal((await disk(engine.httpUrl)).counts.spans, 0);
    } finally {
      await engine.close();
    }
    engine = await inProcess(dataDir);
    try {
      assert.equal((await getJson(engine.httpUrl, '/api/traces')).body.traces.length, 0);
      assert.equal((await getJson(engine.httpUrl, `/api/traces/${hex(3, 32)}`)).status, 404);
    } finally {
      await engine.close();
    }
  });
});
