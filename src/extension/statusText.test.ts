import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusResponse } from '../protocol/api.ts';
import { statusText } from './statusText.ts';

const status: StatusResponse = {
  name: 'loupe', version: '0.1.0', otlp: { http: 'http://127.0.0.1:4318', grpc: 'http://127.0.0.1:4317' },
  counts: { spans: 12345, traces: 100, logs: 7, metricPoints: 0, profiles: 0 },
  dropped: { spans: 0, traces: 0, logs: 0, metricPoints: 0, rejected: 0 },
  memoryBytes: 100 * 1048576, memoryBudgetBytes: 256 * 1048576, process: { rssBytes: 300 * 1048576, heapUsedBytes: 120 * 1048576 }, startedAt: '2026-01-01T00:00:00.000Z', instanceId: 'a1',
};

describe('the status bar text', () => {
  it('running: port and spans (a click opens the traces), and the error count beside it (a click opens the Golden Signals)', () => {
    const s = statusText({ kind: 'running', httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://127.0.0.1:4317', startedHere: true, status }, 3);
    assert.equal(s.text, '$(pulse) Loupe :4318 $(list-tree) 12,345');
    assert.equal(s.click, 'openTraces');
    assert.equal(s.errors?.text, '$(error) 3');
    assert.equal(s.errors?.click, 'openSignals');
    assert.equal(s.warning, false);
    assert.match(s.tooltip, /started by this window/);
    assert.doesNotMatch(s.tooltip, /Evicted/);
    assert.match(s.tooltip, /the store holds 100.0 MiB of its 256.0 MiB budget; the engine process uses 300.0 MiB \(V8 heap 120.0 MiB\)/);
  });

  it('running without errors leaves the error count out; evictions show in the tooltip', () => {
    const evicting = { ...status, dropped: { ...status.dropped, spans: 500 } };
    const s = statusText({ kind: 'running', httpUrl: 'http://127.0.0.1:4318', grpcUrl: '', startedHere: false, status: evicting }, 0);
    assert.doesNotMatch(s.text, /error/);
    assert.equal(s.errors, undefined);
    assert.match(s.tooltip, /Evicted to stay within the memory budget: 500 spans/);
    assert.match(s.tooltip, /shared/);
    assert.doesNotMatch(s.tooltip, /Restarted/);
  });

  it('running after a restart says why the previous engine went', () => {
    const s = statusText({ kind: 'running', httpUrl: 'http://127.0.0.1:4318', grpcUrl: '', startedHere: true, status, restartedAfter: 'its process 42 was ended by SIGKILL' }, 0);
    assert.match(s.tooltip, /Restarted by this window after the previous engine stopped unexpectedly \(its process 42 was ended by SIGKILL\)/);
  });

  it('running with a disk tier that stopped writing: the warning colour, and the reason in the tooltip', () => {
    const disk = {
      dir: '/data', bytes: 0, budgetBytes: 1048576, retentionHours: 72, segments: 1, counts: { spans: 0, logs: 0, metricPoints: 0, profiles: 0 },
      dropped: { segments: 0, bytes: 0, spans: 0, logs: 0, metricPoints: 0, profiles: 0 }, damage: { tornBytes: 0, damagedRecords: 0, rebuiltIndexes: 0 },
    };
    const run = (error?: string) => statusText({ kind: 'running', httpUrl: 'http://127.0.0.1:4318', grpcUrl: '', startedHere: true, status: { ...status, disk: { ...disk, error } } }, 0);
    assert.equal(run().warning, false);
    const s = run('writing to disk stopped (the disk holding /data is full); the engine goes on in memory only.');
    assert.equal(s.warning, true);
    assert.match(s.tooltip, /the disk holding \/data is full/);
  });

  it('failed: what went wrong, with the warning colour; a click shows the log', () => {
    const s = statusText({ kind: 'failed', problem: 'port-taken', message: 'Port 4318 on 127.0.0.1 is in use by something that is not Loupe.' }, 0);
    assert.equal(s.text, '$(error) Loupe: port in use');
    assert.equal(s.warning, true);
    assert.equal(s.click, 'showCollectorLog');
    assert.match(s.tooltip, /not Loupe/);
  });

  it('stopped: a click starts the collector', () => {
    assert.equal(statusText({ kind: 'stopped' }, 0).click, 'startCollector');
    assert.match(statusText({ kind: 'starting' }, 0).text, /sync~spin/);
  });
});
