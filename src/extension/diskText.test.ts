import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiskStatus } from '../protocol/api.ts';
import { diskSummary } from './diskText.ts';

const disk: DiskStatus = {
  dir: '/ws/telemetry', bytes: 300 * 1048576, budgetBytes: 1024 * 1048576, retentionHours: 72, segments: 19, oldestReceivedAt: '2026-01-01T10:20:30.000Z',
  counts: { spans: 900000, logs: 20, metricPoints: 3, profiles: 0 },
  dropped: { segments: 0, bytes: 0, spans: 0, logs: 0, metricPoints: 0, profiles: 0 },
  damage: { tornBytes: 0, damagedRecords: 0, rebuiltIndexes: 0 },
};

describe('the disk tier as the status bar and Endpoint view tell it', () => {
  it('bytes against the budget, segments and the oldest data', () => {
    const s = diskSummary(disk);
    assert.equal(s.description, '300.0 MiB of 1.0 GiB · 19 segments, since 2026-01-01 10:20 UTC');
    assert.match(s.tooltip, /900,000 spans/);
    assert.equal(s.warning, false);
  });

  it('a stopped tier warns with the reason; drops and damage are listed', () => {
    const s = diskSummary({ ...disk, error: 'writing to disk stopped (the disk holding /ws is full)', dropped: { ...disk.dropped, segments: 2, spans: 10 }, damage: { ...disk.damage, damagedRecords: 1 } });
    assert.equal(s.warning, true);
    assert.match(s.tooltip, /Dropped from disk.*10 spans/);
    assert.match(s.tooltip, /1 damaged records/);
    assert.match(s.tooltip, /is full/);
  });

  it('while the last session loads back into memory, says how far it is and that disk answers meanwhile', () => {
    const s = diskSummary({ ...disk, reload: { state: 'loading', loadedBytes: 16 * 1048576, totalBytes: 64 * 1048576, records: 300 } });
    assert.match(s.description, /^loading 25 % · 300.0 MiB/);
    assert.match(s.tooltip, /Loading the last session's newest 64.0 MiB back into memory: 25 % done\. Until then queries answer from disk/);
    assert.doesNotMatch(diskSummary({ ...disk, reload: { state: 'done', loadedBytes: 1, totalBytes: 1, records: 1, seconds: 2 } }).description, /loading/);
    const counting = diskSummary({ ...disk, reload: { state: 'done', loadedBytes: 1, totalBytes: 1, records: 1, seconds: 2, aggregates: { state: 'counting', scannedBytes: 3 * 1048576, totalBytes: 4 * 1048576, records: 9 } } });
    assert.match(counting.description, /^counting 75 % · /);
    assert.match(counting.tooltip, /Counting the older 4\.0 MiB on disk into the golden signals, operations, exceptions and log patterns: 75 % done/);
    assert.doesNotMatch(diskSummary({ ...disk, reload: { state: 'done', loadedBytes: 1, totalBytes: 1, records: 1, seconds: 2, aggregates: { state: 'done', scannedBytes: 4, totalBytes: 4, records: 9, seconds: 3 } } }).description, /counting/);
  });

  it('says when the aggregates of evicted data are at their memory cap', () => {
    assert.doesNotMatch(diskSummary({ ...disk, shares: { segments: 3, bytes: 900_000, full: false } }).tooltip, /memory cap/);
    assert.match(diskSummary({ ...disk, shares: { segments: 3, bytes: 900_000, full: true } }).tooltip, /log patterns of data memory evicted are at their memory cap.*cover less than the disk holds/);
  });

  it('off: says how to turn it on', () => {
    assert.match(diskSummary(undefined).tooltip, /loupe.persistence/);
  });
});
