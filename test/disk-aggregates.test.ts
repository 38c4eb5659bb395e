// After a restart on a data folder, the golden signals (and the request operations the
// Services tree takes from them) cover all the data on disk again, as they did before:
// the newest segments are loaded back into memory, the older ones counted only.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import type { DiskStatus } from '../src/protocol/api.ts';
import type { OperationStats } from '../src/protocol/insights.ts';
import type { Span } from '../src/protocol/otlp.ts';
import { getJson } from './support/engine.ts';
import { tracesRequest } from './support/otlp.ts';

const MiB = 1048576;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const ROUTES = ['/orders/{id}', '/cart', '/search'];
/** Five minutes ago, so the default 15-minute window of the signal queries holds every request. */
const BASE_NS = BigInt(Date.now() - 5 * 60_000) * 1000000n;

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/** Trace `t`: a server span on a route (every 7th answers 500, every 11th has status ERROR) with a client child. */
function trace(t: number): Span[] {
  const start = BASE_NS + BigInt(t) * 5000000n;
  const durationNs = BigInt(1 + (t % 97)) * 1000000n;
  const attrs = [{ key: 'http.route', value: { stringValue: ROUTES[t % ROUTES.length] } }, { key: 'pad', value: { stringValue: 'p'.repeat(400) } }];
  if (t % 7 === 0) attrs.push({ key: 'http.response.status_code', value: { intValue: '500' } } as never);
  return [
    {
      traceId: hex(t + 1, 32), spanId: hex(t * 2 + 1, 16), name: `GET ${ROUTES[t % ROUTES.length]}`, kind: 2,
      startTimeUnixNano: String(start), endTimeUnixNano: String(start + durationNs), attributes: attrs,
      ...(t % 11 === 0 && { status: { code: 2 } }),
    },
    {
      traceId: hex(t + 1, 32), spanId: hex(t * 2 + 2, 16), parentSpanId: hex(t * 2 + 1, 16), name: 'SELECT', kind: 3,
      startTimeUnixNano: String(start + 1n), endTimeUnixNano: String(start + durationNs / 2n),
    },
  ];
}

function batch(first: number, traces: number): Span[] {
  return Array.from({ length: traces }, (_, i) => trace(first + i)).flat();
}

async function post(base: string, body: Buffer | string): Promise<void> {
  const type = typeof body === 'string' ? 'application/json' : 'application/x-protobuf';
  const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': type }, body });
  await res.arrayBuffer();
  assert.equal(res.status, 200);
}

function start(dataDir: string): Promise<RunningEngine> {
  // 12 MiB of memory against about 12 MiB on disk (in 2 MiB segments): more than half is evicted, and a restart loads back at most 3 MiB.
  return startEngine({
    host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 12 * MiB, maxBodyBytes: 20 * MiB,
    dataDir, diskBudgetBytes: 16 * MiB, retentionHours: 72,
  });
}

async function disk(base: string): Promise<DiskStatus> {
  return (await getJson(base, '/api/status')).body.disk;
}

/** Waits until the reload and the counting of the older segments are both over. */
async function counted(base: string): Promise<DiskStatus> {
  for (let i = 0; i < 1200; i++) {
    const status = await disk(base);
    const a = status.reload?.aggregates;
    if (a && a.state !== 'waiting' && a.state !== 'counting') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the older segments were not counted: ${JSON.stringify((await disk(base)).reload)}`);
}

/** A fixed window (the default one ends now, and moves): a minute before the first request to ten after. */
const WINDOW = `start=${BASE_NS - 60_000_000_000n}&end=${BASE_NS + 600_000_000_000n}`;
const QUERIES = [`/api/signals/routes?${WINDOW}`, `/api/signals/routes?service=json-service&${WINDOW}`, `/api/signals?service=bad-input&${WINDOW}`, `/api/signals?service=bad-input&step=10&${WINDOW}`, '/api/operations'];

/** The answers the golden signals give: request operations only (others are counted from memory's spans). */
async function answers(base: string): Promise<unknown[]> {
  const out = await Promise.all(QUERIES.map(async (q) => (await getJson(base, q)).body));
  out[4] = (out[4] as OperationStats[]).filter((op) => op.source === 'signals');
  // A service's routes are listed in the order they were first seen, which a restart changes (the newest data comes back first).
  for (const answer of [out[2], out[3]] as { series: { route: string | null }[] }[]) answer.series.sort((a, b) => String(a.route).localeCompare(String(b.route)));
  return out;
}

describe('the golden signals after a restart on a data folder', () => {
  it('cover the data on disk that was not loaded back, each request once', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'loupe-disk-aggregates-')), 'data');
    dirs.push(dataDir);
    const first = await start(dataDir);
    let sent = 0;
    for (let b = 0; b < 100; b++, sent += 200) await post(first.httpUrl, tracesRequest(batch(sent, 200)));
    // One request as OTLP/JSON: counted through the JSON path.
    await post(first.httpUrl, JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-service' } }] }, scopeSpans: [{ spans: batch(sent, 50) }] }] }));
    const before = await answers(first.httpUrl);
    assert.ok(first.engine.traces.evictedSpans > 20_000, 'most spans left memory');
    const routes = before[0] as { route: string; requests: number }[];
    assert.equal(routes.reduce((n, r) => n + r.requests, 0), 20_050);
    await first.close();

    const second = await start(dataDir);
    try {
      const status = await counted(second.httpUrl);
      const reload = status.reload!;
      const aggregates = reload.aggregates!;
      assert.equal(reload.state, 'done');
      assert.equal(aggregates.state, 'done');
      assert.ok(reload.totalBytes > 0 && aggregates.totalBytes > reload.totalBytes, `both phases had work: ${JSON.stringify(reload)}`);
      assert.equal(aggregates.scannedBytes, aggregates.totalBytes);
      assert.ok(aggregates.records > 0);
      assert.equal(second.engine.traces.spanCount < 20_000, true, 'only the newest part is back in memory');
      const afterRestart = await answers(second.httpUrl);
      for (const [i, q] of QUERIES.entries()) assert.deepEqual(afterRestart[i], before[i], q);

      // What arrives now is counted as usual, on top of the last session's.
      await post(second.httpUrl, tracesRequest(batch(30_000, 10)));
      const after = (await getJson(second.httpUrl, `/api/signals/routes?${WINDOW}`)).body as { requests: number }[];
      assert.equal(after.reduce((n, r) => n + r.requests, 0), 20_060);
    } finally {
      await second.close();
    }

    // A third start counts the second session's request too, and the first's once.
    const third = await start(dataDir);
    try {
      await counted(third.httpUrl);
      const routes3 = (await getJson(third.httpUrl, `/api/signals/routes?${WINDOW}`)).body as { requests: number }[];
      assert.equal(routes3.reduce((n, r) => n + r.requests, 0), 20_060);
    } finally {
      await third.close();
    }
  });

  it('stop on a clear (DELETE /api/data), and count nothing of what was cleared', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'loupe-disk-aggregates-')), 'data');
    dirs.push(dataDir);
    const first = await start(dataDir);
    for (let b = 0; b < 40; b++) await post(first.httpUrl, tracesRequest(batch(b * 200, 200)));
    await first.close();
    const second = await start(dataDir);
    try {
      // At once, before the first slice: the load and the counting both stop.
      await second.engine.clear();
      const status = await disk(second.httpUrl);
      assert.equal(status.reload?.aggregates?.state, 'stopped');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual((await getJson(second.httpUrl, '/api/signals/routes')).body, []);
    } finally {
      await second.close();
    }
  });
});
