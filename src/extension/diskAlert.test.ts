import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiskStatus } from '../protocol/api.ts';
import { DiskAlerts, diskWarning } from './diskAlert.ts';

const healthy: DiskStatus = {
  dir: '/home/me/.vscode/loupe/telemetry', bytes: 1048576, budgetBytes: 1024 * 1048576, retentionHours: 72, segments: 2,
  counts: { spans: 10, logs: 0, metricPoints: 0, profiles: 0 },
  dropped: { segments: 0, bytes: 0, spans: 0, logs: 0, metricPoints: 0, profiles: 0 },
  damage: { tornBytes: 0, damagedRecords: 0, rebuiltIndexes: 0 },
};
// The engine's own words (src/engine/disk/diskTier.ts).
const FULL = `writing to disk stopped (the disk holding ${healthy.dir} is full); the engine goes on in memory only. Free space (or choose another folder) and restart the engine.`;
const LOCKED = `writing to disk stopped (the data folder ${healthy.dir} cannot be written: EACCES: permission denied, open '${healthy.dir}/seg-0000000000000003.log'); the engine goes on in memory only. Make it a writable folder (or choose another: loupe.persistence, --data-dir) and restart the engine.`;

const status = (instanceId: string, error?: string) => ({ instanceId, disk: { ...healthy, ...(error && { error }) } });

describe('the disk tier stopped writing: when the user is told', () => {
  it('not while the tier writes, nor when the engine keeps no data on disk', () => {
    const alerts = new DiskAlerts();
    assert.equal(alerts.check(status('a')), undefined);
    assert.equal(alerts.check({ instanceId: 'a' }), undefined);
    assert.equal(alerts.check(undefined), undefined);
  });

  it('once when the disk fills while the engine runs, however often the status is read after', () => {
    const alerts = new DiskAlerts();
    assert.equal(alerts.check(status('a')), undefined);
    const warning = alerts.check(status('a', FULL));
    assert.ok(warning);
    for (let poll = 0; poll < 20; poll++) assert.equal(alerts.check(status('a', FULL)), undefined);
  });

  it('again for a restarted engine that fails again, or a different error', () => {
    const alerts = new DiskAlerts();
    assert.ok(alerts.check(status('a', FULL)));
    assert.ok(alerts.check(status('b', FULL)), 'a new engine (new instance id)');
    assert.ok(alerts.check(status('b', LOCKED)), 'a different reason');
    assert.equal(alerts.check(status('a', FULL)), undefined, 'the first engine, read again by another path (attach, poll)');
  });
});

describe('what the warning says', () => {
  it('a full disk: what happened, what Loupe does now, what to do', () => {
    const w = diskWarning({ ...healthy, error: FULL });
    assert.equal(w.full, true);
    assert.equal(w.dir, healthy.dir);
    assert.ok(w.message.startsWith(`Loupe: Writing to disk stopped (the disk holding ${healthy.dir} is full)`), w.message);
    assert.match(w.message, /goes on in memory only\. Free space \(or choose another folder\) and restart the engine\. /);
    assert.match(w.message, /kept in memory only .* and is lost when the engine stops; what reached the disk before stays readable\.$/);
  });

  it('a folder that cannot be written: not called a full disk, the reason kept', () => {
    const w = diskWarning({ ...healthy, error: LOCKED });
    assert.equal(w.full, false);
    assert.match(w.message, /cannot be written: EACCES: permission denied/);
    assert.match(w.message, /Make it a writable folder/);
  });
});
