// After a start on a data folder, the last session's newest records are loaded back into
// memory in the background, once the engine listens: in slices of a few milliseconds that
// yield to the event loop, so OTLP is accepted and queries answered meanwhile (from disk
// for what is not loaded yet). Records are replayed oldest first, each once; what arrives
// meanwhile is stored and written as usual.
//
// Then the aggregates that outlive eviction (the golden signals, and the request
// operations the Services tree and CodeLens take from them; the span aggregates and log
// patterns, in each segment's share: segmentShares.ts) are given the rest of what the
// disk holds: the older segments, read the same way but only counted, so these answers
// cover all the retained data again, as they did before the restart. Each segment is
// counted by one phase only: loaded back, or counted.

import type { DiskAggregateStatus, DiskReloadStatus } from '../../protocol/api.ts';
import type { Signal } from '../ingest/ingest.ts';
import type { DiskTier } from './diskTier.ts';
import type { DiskRecord } from './record.ts';
import { HEADER_BYTES } from './record.ts';
import type { SegmentIndex } from './segmentIndex.ts';
import { eachRecordSliced } from './slicedRecords.ts';

/** Counts an older record into the aggregates only: not stored, not written, not forwarded. */
export interface AggregateCounter {
  /** The signals whose records it counts; others are not read. */
  readonly signals: readonly Signal[];
  /** `segment` holds the record. */
  count(r: DiskRecord, segment: SegmentIndex): void;
}

export class DiskReload {
  private state: DiskReloadStatus['state'] = 'loading';
  private loadedBytes = 0;
  private records = 0;
  private readonly totalBytes: number;
  private readonly aggregates: DiskAggregateStatus;
  /** The oldest record loaded back: older ones are answered from disk only. */
  readonly firstSeq: number;
  private seconds: number | undefined;
  private readonly started = performance.now();
  /** Resolves when the load is done or stopped. */
  readonly loaded: Promise<void>;
  /** Resolves when the older segments are counted too (or stopped). */
  readonly finished: Promise<void>;

  constructor(private readonly tier: DiskTier, capBytes: number, private readonly ingest: (r: DiskRecord) => void, counter: AggregateCounter) {
    const plan = tier.reloadPlan(capBytes);
    this.totalBytes = plan.reduce((n, s) => n + s.bytes, 0);
    this.firstSeq = plan[0]?.firstSeq ?? tier.lastSeqAtOpen + 1;
    // Chosen now: segments written from here on are this session's, counted as they arrive.
    const older = tier.lastSessionSegments().filter((s) => !plan.includes(s));
    this.aggregates = { state: 'waiting', scannedBytes: 0, totalBytes: older.reduce((n, s) => n + s.bytes, 0), records: 0 };
    this.loaded = this.load(plan).catch((err: Error) => {
      console.error(`Loupe engine: loading the last session's data back into memory stopped (${err.message}); it is still answered from disk.`);
      this.state = 'stopped';
    });
    this.finished = this.loaded.then(() => this.count(older, counter)).catch((err: Error) => {
      console.error(`Loupe engine: counting the older data on disk into the aggregates stopped (${err.message}); they cover what was counted so far.`);
      this.aggregates.state = 'stopped';
    });
  }

  get loading(): boolean {
    return this.state === 'loading';
  }

  /** Ends the load (or the counting) where it is (the engine stops, or the data is cleared). */
  stop(): void {
    if (this.state === 'loading') this.state = 'stopped';
    if (this.aggregates.state === 'waiting' || this.aggregates.state === 'counting') this.aggregates.state = 'stopped';
  }

  status(): DiskReloadStatus {
    return {
      state: this.state, loadedBytes: this.loadedBytes, totalBytes: this.totalBytes, records: this.records,
      ...(this.seconds !== undefined && { seconds: this.seconds }),
      aggregates: { ...this.aggregates },
    };
  }

  private async load(plan: SegmentIndex[]): Promise<void> {
    await eachRecordSliced(this.tier, plan, () => this.loading, (r) => {
      this.tier.replay(r, this.ingest);
      this.records++;
      this.loadedBytes += HEADER_BYTES + r.body.length;
    });
    if (!this.loading) return;
    this.state = 'done';
    this.seconds = this.elapsed();
  }

  private async count(older: SegmentIndex[], counter: AggregateCounter): Promise<void> {
    const a = this.aggregates;
    if (a.state !== 'waiting' || this.state !== 'done') {
      if (a.state === 'waiting') a.state = 'stopped';
      return;
    }
    a.state = 'counting';
    const running = () => a.state === 'counting';
    await eachRecordSliced(this.tier, older, running, (r, segment) => {
      counter.count(r, segment);
      a.records++;
    }, (index) => { a.scannedBytes += index.bytes; }, (signal) => counter.signals.includes(signal));
    if (!running()) return;
    a.state = 'done';
    a.seconds = this.elapsed();
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started) / 1000;
  }
}
