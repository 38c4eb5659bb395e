// Starting an engine on a data folder: the folder's lock and indexes are taken at once
// (before the engine listens); once it listens, the last session's newest records are
// loaded back into memory in the background, so what the user saw before a restart is
// live again (aggregates, golden signals, metrics and profiles included). Until then,
// and for older data always, queries answer from disk. Then the older segments are
// counted into the golden signals and the other aggregates (segmentShares.ts), so they
// cover all the retained data again.

import type { Engine } from '../engine.ts';
import { decodeCompactProfile } from '../../shared/profile/codec.ts';
import { DiskReload } from './diskReload.ts';
import { olderMetricsCounter } from './olderMetrics.ts';
import { DiskTier, type DiskTierOptions } from './diskTier.ts';
import type { DiskRecord } from './record.ts';

export const DEFAULT_DISK_BUDGET = 1024 * 1024 * 1024;
export const DEFAULT_RETENTION_HOURS = 72;
/** At most this share of the memory budget is refilled from disk on start… */
const RELOAD_SHARE = 0.25;
/** …and at most this much, whatever the budget: a start costs seconds of CPU, not minutes. */
const MAX_RELOAD_BYTES = 256 * 1024 * 1024;
/** The segments' shares of the aggregates grow to at most this share of the memory budget. */
const SHARES_SHARE = 0.25;

/** Throws DataDirLockedError when another engine writes the folder. */
export function openDiskTier(engine: Engine, dir: string, options: DiskTierOptions): DiskTier {
  const tier = DiskTier.open(dir, options, engine);
  engine.disk = tier;
  // What memory evicts of a segment the disk keeps stays counted in the aggregates.
  engine.aggregates.keepEvicted = (chunk, i) => tier.shares.spanEvicted(chunk, i);
  engine.aggregates.cold = () => tier.shares.spans();
  engine.aggregates.coldOperations = () => tier.shares.operations();
  engine.aggregates.coldFunctions = () => tier.shares.functions();
  engine.aggregates.coldExceptions = () => tier.shares.exceptions();
  engine.logs.keepEvicted = (chunk) => tier.shares.logsEvicted(chunk);
  tier.shares.capBytes = engine.options.memoryBudgetBytes * SHARES_SHARE;
  return tier;
}

/** Starts loading the last session's newest data back into memory; `/api/status` → `disk.reload` follows it. */
export function reloadInBackground(engine: Engine): DiskReload | undefined {
  const tier = engine.disk;
  if (!tier) return undefined;
  const cap = Math.min(MAX_RELOAD_BYTES, engine.options.memoryBudgetBytes * RELOAD_SHARE);
  const countMetrics = olderMetricsCounter(engine.metricSignals);
  const reload = new DiskReload(tier, cap, (r) => {
    try {
      restoreRecord(engine, r);
    } catch {
      // Accepted once; a request this version cannot decode stays on disk, unread.
    }
  }, {
    // Spans feed the golden signals and the span aggregates, logs their patterns
    // (segmentShares.ts), request metrics the golden signals of metric-only services.
    signals: ['traces', 'logs', 'metrics'],
    count: (r, segment) => {
      if (r.signal === 'traces' || r.signal === 'logs') tier.shares.countRecord(r, segment);
      try {
        if (r.encoding === 'compact') return;
        if (r.signal === 'metrics') countMetrics(r.body, r.encoding);
        else engine.countFromDisk(r.signal, r.body, r.encoding);
      } catch {
        // As above: a request this version cannot decode is not counted.
      } finally {
        // What was counted grew aggregates the budget holds, as an ingest does.
        engine.fitBudget();
      }
    },
  });
  void reload.finished.then(() => tier.shares.countingDone());
  tier.reload = reload;
  return reload;
}

/**
 * Stores one record into the engine as when it arrived: an OTLP request through its
 * ingest, a profile stored through the API as that profile. Throws as they do on bytes
 * they cannot decode (DecodeError, CompactFormatError).
 */
export function restoreRecord(engine: Engine, r: DiskRecord): void {
  if (r.encoding !== 'compact') {
    engine.export(r.signal, r.body, r.encoding, 'http');
    return;
  }
  // A copy: the record's bytes are a slice of the whole segment file.
  const profile = decodeCompactProfile(new Uint8Array(r.body));
  engine.addProfile(profile, profile.summary.name, profile.summary.source);
}
