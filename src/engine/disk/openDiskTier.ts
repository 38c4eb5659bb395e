// Starting an engine on a data folder: the folder's lock and indexes are taken at once,
// then the last session's newest records are loaded back into memory, so what the user
// saw before a restart is live again (aggregates, golden signals, metrics and profiles
// included); older data is answered from disk.

import type { Engine } from '../engine.ts';
import { DiskTier, type DiskTierOptions } from './diskTier.ts';

export const DEFAULT_DISK_BUDGET = 1024 * 1024 * 1024;
export const DEFAULT_RETENTION_HOURS = 72;
/** At most this share of the memory budget is refilled from disk on start. */
const RESTORE_SHARE = 0.25;

/** Throws DataDirLockedError when another engine writes the folder. */
export function openDiskTier(engine: Engine, dir: string, options: DiskTierOptions): DiskTier {
  const tier = DiskTier.open(dir, options, engine);
  engine.disk = tier;
  tier.restore(engine.options.memoryBudgetBytes * RESTORE_SHARE, (r) => {
    try {
      engine.export(r.signal, r.body, r.encoding, 'http');
    } catch {
      // Accepted once; a request this version cannot decode stays on disk, unread.
    }
  });
  return tier;
}
