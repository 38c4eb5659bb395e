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
import { parseTraceFilter, searchTraces } from '../src/engine/query/traceSearch.ts';
import { TRACE_MEDIA_TYPE } from '../src/protocol/compactTrace.ts';
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

/** Waits until the engine has loaded the last session's data back into memory. */
async function loaded(base: string): Promise<DiskStatus> {
  for (let i = 0; i < 300; i++) {
    const status = await disk(base);
    if (status.reload?.state !== 'loading') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the reload did not finish: ${JSON.stringify((await disk(base)).reload)}`);
}

/** An answer without what says which tier it came from (and pattern ids, which only memory has). */
function tierless(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer, (k, v) => (k === 'fromDisk' || k === 'disk' || k === 'patternId' ? undefined : v)));
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
      assert.equal((await loaded(second.httpUrl)).reload?.state, 'done');
      const afterRestart = await Promise.all(QUERIES.map((q) => getJson(second.httpUrl, q)));
      for (const [i, q] of QUERIES.entries()) assert.deepEqual(afterRestart[i], before[i], q);
      const status = await disk(second.httpUrl);
      assert.deepEqual(status.counts, { spans: 300, logs: 300, metricPoints: 2, profiles: 0 });
      assert.equal(status.damage.rebuiltIndexes, 0, 'the index was read, not rebuilt');
    } finally {
      await second.stop();
    }
  });

  it('listens before the last session is loaded back, answers from disk meanwhile, and loses or doubles nothing received meanwhile', async () => {
    const dataDir = tempDir();
    const first = await inProcess(dataDir);
    for (let b = 0; b < 10; b++) assert.equal(await post(first.httpUrl, 'traces', traceBatch(b * 20, 20)), 200);
    assert.equal(await post(first.httpUrl, 'logs', logBatch(0, 300)), 200);
    // The old data only: what arrives after the restart is later than these bounds.
    const old = ['/api/traces?limit=1000&end=1700000000500000000', `/api/traces/${hex(5, 32)}`, '/api/traces?limit=7&end=1700000000500000000', '/api/logs?limit=1000&end=1700000000001000000', '/api/logs?minSeverity=warn&end=1700000000001000000'];
    const before = await Promise.all(old.map((q) => getJson(first.httpUrl, q)));
    assert.equal(before[0].body.traces.length, 200);
    await first.close();

    const second = await inProcess(dataDir);
    try {
      // Listening, and nothing loaded yet (the first segment's read is still pending).
      assert.equal(second.engine.disk!.status().reload?.state, 'loading');
      assert.equal(second.engine.traces.spanCount, 0);
      const f = parseTraceFilter(new URLSearchParams('limit=1000'));
      const early = second.engine.disk!.query.traces(second.engine.traces, f, searchTraces(second.engine.traces, f));
      assert.equal(early.traces.length, 200, 'the list answers from the disk at once');
      assert.ok(early.traces.every((t) => t.fromDisk));
      // Received while the reload has not started: stored and written once, not lost under the reload.
      second.engine.export('traces', traceBatch(1000, 10), 'protobuf', 'http');
      second.engine.export('logs', Buffer.from(logBatch(5000, 50)), 'json', 'http');

      // Queries while loading (or just after) answer the same, wherever they read it.
      const during = await Promise.all(old.map((q) => getJson(second.httpUrl, q)));
      for (const [i, q] of old.entries()) assert.deepEqual(tierless(during[i]), tierless(before[i]), q);

      const status = await loaded(second.httpUrl);
      assert.equal(status.reload?.state, 'done');
      assert.equal(status.reload?.loadedBytes, status.reload?.totalBytes);
      const afterLoad = await Promise.all(old.map((q) => getJson(second.httpUrl, q)));
      for (const [i, q] of old.entries()) assert.deepEqual(afterLoad[i], before[i], q);
      const all = (await getJson(second.httpUrl, '/api/traces?limit=1000')).body;
      assert.equal(all.traces.length, 210);
      assert.equal(new Set(all.traces.map((t: { traceId: string }) => t.traceId)).size, 210, 'no trace twice');
      assert.equal((await getJson(second.httpUrl, '/api/logs?limit=5000')).body.logs.length, 350);
      assert.equal(second.engine.traces.spanCount, 630, 'each span in memory once');
    } finally {
      await second.close();
    }
    // The reloaded records were not written again; what arrived during the reload was.
    const third = await inProcess(dataDir);
    try {
      const status = await loaded(third.httpUrl);
      assert.deepEqual(status.counts, { spans: 630, logs: 350, metricPoints: 0, profiles: 0 });
      assert.equal((await getJson(third.httpUrl, '/api/traces?limit=1000')).body.traces.length, 210);
      assert.equal(third.engine.traces.spanCount, 630);
    } finally {
      await third.close();
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
      // The agent's tools read both tiers too.
      const tool = async (name: string, args: object) => ((await (await fetch(`${engine.httpUrl}/api/agent/tools/${name}`, { method: 'POST', body: JSON.stringify(args) })).json()) as { text: string }).text;
      assert.match(await tool('trace_summary', { traceId: oldest }), new RegExp(`Trace ${oldest}: .*3 spans`));
      assert.match(await tool('search_traces', { text: oldest }), new RegExp(`${oldest} \\|.*from disk \\(evicted from memory\\)`));
    } finally {
      await engine.close();
    }
  });

  it('answers a trace split between the tiers (early spans evicted, late ones in memory) whole, each span once', async () => {
    // Span chunks are 4 MiB: at 8 MiB memory holds the chunk being filled and evicts the one before.
    const engine = await inProcess(tempDir(), { memoryBudgetMb: 8 });
    const id = 'be'.repeat(16);
    const span = (n: number, late: boolean) => validSpan({
      traceId: id, spanId: hex(0xb000 + n, 16), parentSpanId: n > 1 ? hex(0xb001, 16) : undefined, name: late ? 'late work' : n === 1 ? 'GET /split' : 'early work',
      startTimeUnixNano: String(1800000000000000000n + BigInt(n) * 1000n), endTimeUnixNano: String(1800000000000000000n + BigInt(n) * 1000n + 500000n),
    });
    try {
      assert.equal(await post(engine.httpUrl, 'traces', tracesRequest([span(1, false), span(2, false)])), 200);
      for (let b = 0; b < 80; b++) await post(engine.httpUrl, 'traces', traceBatch(b * 50, 50, 400));
      const key = Buffer.from(id, 'hex').toString('latin1');
      assert.equal(engine.engine.traces.get(key), undefined, 'the early spans left memory');
      assert.equal(await post(engine.httpUrl, 'traces', tracesRequest([span(3, true), span(4, true)])), 200);
      assert.equal(engine.engine.traces.get(key)?.spans.length, 2, 'memory holds the late spans only');

      const res = await fetch(`${engine.httpUrl}/api/traces/${id}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-loupe-tier'), 'memory, disk');
      const body = (await res.json()) as { resourceSpans: { scopeSpans: { spans: { spanId: string; name: string }[] }[] }[] };
      const spans = body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      assert.deepEqual(spans.map((s) => s.spanId).sort(), [1, 2, 3, 4].map((n) => hex(0xb000 + n, 16)), 'all four spans, none twice');
      const compact = await fetch(`${engine.httpUrl}/api/traces/${id}`, { headers: { accept: TRACE_MEDIA_TYPE } });
      assert.equal(compact.status, 200, 'the trace page\'s form merges too');

      const byId = (await getJson(engine.httpUrl, `/api/traces?q=${id}`)).body;
      assert.equal(byId.traces.length, 1);
      assert.deepEqual({ spans: byId.traces[0].spanCount, root: byId.traces[0].rootName, fromDisk: byId.traces[0].fromDisk, partly: byId.traces[0].partlyFromDisk }, { spans: 4, root: 'GET /split', fromDisk: true, partly: true });
      const listed = (await getJson(engine.httpUrl, '/api/traces?limit=100&start=1799999999000000000')).body;
      assert.deepEqual(listed.traces.map((t: { traceId: string; spanCount: number }) => [t.traceId, t.spanCount]), [[id, 4]], 'listed once, with every span counted');
      // Written to disk by now, the late spans are on both tiers: still each once.
      await new Promise((r) => setTimeout(r, 400));
      const again = (await (await fetch(`${engine.httpUrl}/api/traces/${id}`)).json()) as typeof body;
      assert.equal(again.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).length, 4);
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
      const status = await loaded(engine.httpUrl);
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
