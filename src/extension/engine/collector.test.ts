// The collector against the real engine (dist/engine.js, built by `npm test`), run with
// this Node as VS Code runs it with its own runtime.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { Collector, type CollectorOptions, type CollectorState } from './collector.ts';
import { findFreePort } from './freePort.ts';

const dir = mkdtempSync(join(tmpdir(), 'loupe-collector-'));
const quiet = { info() {}, warn() {}, error() {}, engine() {} };
const collectors: Collector[] = [];

async function options(over: Partial<CollectorOptions> = {}): Promise<CollectorOptions> {
  const httpPort = over.httpPort ?? await findFreePort('127.0.0.1');
  return {
    enginePath: resolve(__dirname, '../../../dist/engine.js'),
    host: '127.0.0.1',
    httpPort,
    grpcPort: await findFreePort('127.0.0.1'),
    memoryBudgetMb: 32,
    exitWhenUnusedMs: 60_000,
    logFile: join(dir, `engine-${httpPort}-${Math.random()}.log`),
    ...over,
  };
}

function collector(o: CollectorOptions): Collector {
  const c = new Collector(o, quiet);
  collectors.push(c);
  return c;
}

function running(state: CollectorState) {
  assert.equal(state.kind, 'running', state.kind === 'failed' ? state.message : state.kind);
  return state as Extract<CollectorState, { kind: 'running' }>;
}

function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(tick, 50));
    tick();
  });
}

after(async () => {
  for (const c of collectors) await c.stop();
});

describe('the collector', () => {
  it('starts an engine when none runs, and a second window attaches to it', async () => {
    const o = await options();
    const first = running(await collector(o).start());
    assert.equal(first.startedHere, true);
    assert.equal(first.status.name, 'loupe');
    assert.equal(first.httpUrl, `http://127.0.0.1:${o.httpPort}`);
    const second = running(await collector({ ...o, logFile: join(dir, 'other.log') }).start());
    assert.equal(second.startedHere, false);
    assert.equal(second.status.startedAt, first.status.startedAt, 'the same engine');
  });

  it('finds the address of an engine given port 0', async () => {
    const state = running(await collector(await options({ httpPort: 0 })).start());
    assert.match(state.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(state.httpUrl, /:0$/);
  });

  it('says when the port is held by something that is not Loupe', async () => {
    const server: Server = createServer((_req, res) => res.end('<html>someone else</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const state = await collector(await options({ httpPort: (server.address() as AddressInfo).port })).start();
      assert.equal(state.kind, 'failed');
      assert.equal(state.kind === 'failed' && state.problem, 'port-taken');
      assert.match(state.kind === 'failed' ? state.message : '', /not Loupe/);
    } finally {
      server.close();
    }
  });

  it('restarts an engine that dies, says why, and leaves one that dies again right after stopped', async () => {
    const c = collector(await options());
    const first = running(await c.start());
    const states: string[] = [];
    c.onState((s) => states.push(s.kind));
    const pid = c.enginePid!;
    process.kill(pid, 'SIGKILL');
    await until(() => c.state.kind === 'running' && c.state.status.startedAt !== first.status.startedAt);
    assert.deepEqual(states.slice(0, 1), ['starting']);
    assert.equal(running(c.state).restartedAfter, `its process ${pid} was ended by SIGKILL`);
    assert.equal(running(c.state).httpUrl, first.httpUrl, 'on the same port: apps keep sending there');
    process.kill(c.enginePid!, 'SIGKILL');
    await until(() => c.state.kind === 'failed');
    assert.equal(c.state.kind === 'failed' && c.state.problem, 'crashed');
    assert.match(c.state.kind === 'failed' ? c.state.message : '', /stopped unexpectedly \(its process \d+ was ended by SIGKILL\) within 60 s of being restarted/);
    // The user's start tries again.
    running(await c.start());
  });

  it('restarts again an engine that dies long after its last restart', async () => {
    const c = collector(await options({ restartWindowMs: 1500 }));
    running(await c.start());
    for (let kill = 0; kill < 2; kill++) {
      const before = running(c.state).status.instanceId;
      await new Promise((resolve) => setTimeout(resolve, 1600));
      process.kill(c.enginePid!, 'SIGTERM');
      await until(() => c.state.kind === 'running' && c.state.status.instanceId !== before);
      // The engine stops cleanly on SIGTERM: the collector cannot tell who sent it, only that no window asked.
      assert.match(running(c.state).restartedAfter ?? '', /^its process \d+ exited \(code 0\) without a Loupe window asking it to$/);
    }
  });

  it("says when the engine's output file cannot be written, naming it and what to do", async () => {
    const file = join(dir, `not-a-folder-${Math.random()}`);
    writeFileSync(file, '');
    const logFile = join(file, 'engine.log');
    const state = await collector(await options({ logFile })).start();
    assert.equal(state.kind === 'failed' && state.problem, 'spawn-failed');
    assert.equal(state.kind === 'failed' && state.message, `Could not start the Loupe engine: its output file ${logFile} cannot be written (ENOTDIR: not a directory, open '${logFile}'). Free disk space or make ${file} writable, then run "Loupe: Start Collector".`);
  });

  it('runs an engine whose output goes to a full disk', async () => {
    const c = collector(await options({ logFile: '/dev/full' }));
    const state = running(await c.start());
    assert.equal(state.startedHere, true);
    const res = await fetch(`${state.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    assert.equal(res.status, 200);
  });

  it('stops the engine for every window, and the others do not start another', async () => {
    const o = await options();
    const first = collector(o);
    running(await first.start());
    const second = collector({ ...o, logFile: join(dir, `other-${o.httpPort}.log`) });
    running(await second.start());
    const pid = first.enginePid!;
    await second.stop();
    await until(() => first.state.kind === 'stopped');
    await until(() => !alive(pid), 5000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(first.state.kind, 'stopped', 'the first window did not restart it');
    assert.equal(first.enginePid, undefined);
  });

  it('an engine it started exits once no window is attached', async () => {
    const c = collector(await options({ exitWhenUnusedMs: 300 }));
    running(await c.start());
    const pid = c.enginePid!;
    c.dispose();
    await until(() => !alive(pid), 5000);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
