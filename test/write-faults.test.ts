// Where the engine writes — its data folder (segments, indexes, lock) and its output —
// on a full disk (/dev/full, where every write fails with ENOSPC) or a folder that
// cannot be written: a clear error naming the path and what to do, and everything
// else (ingest, queries, the API) goes on. The extension's side is in
// src/extension/engine/collector.test.ts and src/extension/writeFailure.test.ts.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import type { DiskStatus } from '../src/protocol/api.ts';
import { findFreePort } from '../src/extension/engine/freePort.ts';
import { getJson } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';
import { readOnlyDir } from './support/readOnlyDir.ts';

const MiB = 1048576;
const root = mkdtempSync(join(tmpdir(), 'loupe-write-faults-'));
after(() => rmSync(root, { recursive: true, force: true }));

function engineOn(dataDir: string, diskBudgetMb = 64): Promise<RunningEngine> {
  return startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 32 * MiB, maxBodyBytes: 8 * MiB, dataDir, diskBudgetBytes: diskBudgetMb * MiB, retentionHours: 1 });
}

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** `count` spans of trace `trace`, each with an attribute of `padding` bytes. */
function batch(trace: number, count: number, padding = 100): Buffer {
  return tracesRequest(Array.from({ length: count }, (_, i) => validSpan({ traceId: hex(trace, 32), spanId: hex(trace * 1000 + i + 1, 16), attributes: [{ key: 'pad', value: { stringValue: 'p'.repeat(padding) } }] })));
}

async function post(base: string, body: Buffer): Promise<number> {
  const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
  await res.arrayBuffer();
  return res.status;
}

async function disk(base: string): Promise<DiskStatus> {
  return (await getJson(base, '/api/status')).body.disk;
}

/** Ingest and queries still work: the fault took only the disk tier down. */
async function stillServes(engine: RunningEngine, trace: number): Promise<void> {
  assert.equal(await post(engine.httpUrl, batch(trace, 3)), 200);
  const { status, body } = await getJson(engine.httpUrl, `/api/traces/${hex(trace, 32)}`);
  assert.equal(status, 200);
  assert.ok(JSON.stringify(body).includes(hex(trace * 1000 + 3, 16)));
  assert.equal((await getJson(engine.httpUrl, '/api/services')).status, 200);
}

describe('the data folder cannot be written', () => {
  it('a data folder under a read-only folder: the engine starts in memory and names the folder and what to do', async (t) => {
    const locked = readOnlyDir();
    if (!locked) return t.skip('no way to make a read-only folder here (root without chattr)');
    const dataDir = join(locked.path, 'telemetry');
    const engine = await engineOn(dataDir);
    try {
      const status = await disk(engine.httpUrl);
      assert.ok(status.error?.includes(`the data folder ${dataDir} cannot be written`), status.error);
      assert.match(status.error!, /EACCES|EPERM|EROFS/);
      assert.match(status.error!, /goes on in memory only\. Make it a writable folder \(or choose another: loupe\.persistence, --data-dir\) and restart the engine\./);
      await stillServes(engine, 1);
    } finally {
      await engine.close();
      locked.remove();
    }
  });

  it('a data folder that is a read-only folder itself: its lock cannot be taken; the same', async (t) => {
    const locked = readOnlyDir();
    if (!locked) return t.skip('no way to make a read-only folder here (root without chattr)');
    const engine = await engineOn(locked.path);
    try {
      assert.ok((await disk(engine.httpUrl)).error?.includes(`the data folder ${locked.path} cannot be written`));
      await stillServes(engine, 2);
    } finally {
      await engine.close();
      locked.remove();
    }
  });

  it('a data folder whose path runs through a file: the same, with the reason', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const dataDir = join(file, 'telemetry');
    const engine = await engineOn(dataDir);
    try {
      const status = await disk(engine.httpUrl);
      assert.ok(status.error?.includes(`the data folder ${dataDir} cannot be written: ENOTDIR`), status.error);
      await stillServes(engine, 3);
    } finally {
      await engine.close();
    }
  });
});

describe('the disk fills up', () => {
  it('while a segment index is written: the tier stops with the full-disk message, ingest goes on', async () => {
    const dataDir = join(root, 'index-full');
    mkdirSync(dataDir);
    // The first segment's index is written through a temporary file: that file is /dev/full.
    symlinkSync('/dev/full', join(dataDir, 'seg-0000000000000000.log.idx.tmp'));
    // A 1 MiB budget makes 128 KiB segments: a few batches roll the first one, which writes its index.
    const engine = await engineOn(dataDir, 1);
    try {
      for (let b = 0; b < 6; b++) assert.equal(await post(engine.httpUrl, batch(100 + b, 30, 1000)), 200);
      let status = await disk(engine.httpUrl);
      for (let i = 0; i < 100 && !status.error; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await disk(engine.httpUrl);
      }
      assert.ok(status.error?.startsWith(`writing to disk stopped (the disk holding ${dataDir} is full); the engine goes on in memory only. Free space`), status.error);
      await stillServes(engine, 200);
    } finally {
      await engine.close();
    }
  });

  it("the engine's output goes to a full disk: it starts, serves and stops as usual", async () => {
    const httpPort = await findFreePort('127.0.0.1');
    const grpcPort = await findFreePort('127.0.0.1');
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, ['dist/engine.js', '--http-port', String(httpPort), '--grpc-port', String(grpcPort)], { stdio: ['ignore', full, full] });
    closeSync(full);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${httpPort}`;
    try {
      let up = false;
      for (let i = 0; i < 200 && !up && child.exitCode === null; i++) {
        up = await fetch(`${base}/api/status`).then((r) => r.ok, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(up, `the engine did not come up (exit code ${child.exitCode})`);
      assert.equal(await post(base, batch(300, 3)), 200);
      assert.equal((await getJson(base, `/api/traces/${hex(300, 32)}`)).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, 'a clean stop, though nothing it printed was written');
  });
});
