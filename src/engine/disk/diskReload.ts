// After a start on a data folder, the last session's newest records are loaded back into
// memory in the background, once the engine listens: in slices of a few milliseconds that
// yield to the event loop, so OTLP is accepted and queries answered meanwhile (from disk
// for what is not loaded yet). Records are replayed oldest first, each once; what arrives
// meanwhile is stored and written as usual.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskReloadStatus } from '../../protocol/api.ts';
import type { DiskTier } from './diskTier.ts';
import type { DiskRecord } from './record.ts';
import { HEADER_BYTES } from './record.ts';
import { scanRecords } from './segmentScan.ts';

/** One slice of replaying runs this long before it yields to the event loop. */
const SLICE_MS = 8;

export class DiskReload {
  private state: DiskReloadStatus['state'] = 'loading';
  private loadedBytes = 0;
  private records = 0;
  private readonly totalBytes: number;
  /** The oldest record loaded back: older ones are answered from disk only. */
  readonly firstSeq: number;
  private seconds: number | undefined;
  private readonly started = performance.now();
  /** Resolves when the load is done or stopped. */
  readonly finished: Promise<void>;

  constructor(private readonly tier: DiskTier, capBytes: number, private readonly ingest: (r: DiskRecord) => void) {
    const plan = tier.reloadPlan(capBytes);
    this.totalBytes = plan.reduce((n, s) => n + s.bytes, 0);
    this.firstSeq = plan[0]?.firstSeq ?? tier.lastSeqAtOpen + 1;
    this.finished = this.run(plan).catch((err: Error) => {
      console.error(`Loupe engine: loading the last session's data back into memory stopped (${err.message}); it is still answered from disk.`);
      this.state = 'stopped';
    });
  }

  get loading(): boolean {
    return this.state === 'loading';
  }

  /** Ends the load where it is (the engine stops, or the data is cleared). */
  stop(): void {
    if (this.state === 'loading') this.state = 'stopped';
  }

  status(): DiskReloadStatus {
    return { state: this.state, loadedBytes: this.loadedBytes, totalBytes: this.totalBytes, records: this.records, ...(this.seconds !== undefined && { seconds: this.seconds }) };
  }

  private async run(plan: ReturnType<DiskTier['reloadPlan']>): Promise<void> {
    for (const index of plan) {
      if (!this.loading) return;
      let bytes: Buffer;
      try {
        bytes = await readFile(join(this.tier.dir, index.file));
      } catch {
        // Dropped since the plan was made (budget, retention): nothing to load.
        continue;
      }
      if (!this.loading || !this.tier.holds(index)) continue;
      const { records, damaged } = scanRecords(bytes);
      this.tier.readDamage(index, damaged);
      let i = 0;
      while (i < records.length) {
        const until = performance.now() + SLICE_MS;
        do {
          this.tier.replay(records[i], this.ingest);
          this.records++;
          this.loadedBytes += HEADER_BYTES + records[i].body.length;
          i++;
        } while (i < records.length && performance.now() < until);
        await new Promise((resolve) => setImmediate(resolve));
        if (!this.loading) return;
      }
    }
    if (!this.loading) return;
    this.state = 'done';
    this.seconds = Math.round(performance.now() - this.started) / 1000;
  }
}
