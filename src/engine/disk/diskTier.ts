// The warm tier: what the engine receives, appended to segment files in a data folder,
// each with a small index. It keeps a disk budget and a retention time (dropping the
// oldest segment first, counted), survives restarts (the indexes are read, not the
// segments), and stops cleanly on a full disk while the engine goes on in memory.

import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DiskReloadStatus, DiskStatus } from '../../protocol/api.ts';
import type { Signal } from '../ingest/ingest.ts';
import type { LogStore } from '../store/logStore.ts';
import type { TraceStore } from '../store/traceStore.ts';
import type { ProfileStore } from '../store/profileStore.ts';
import { MetricIngest } from '../ingest/metricIngest.ts';
import { ProfileIngest } from '../ingest/profileIngest.ts';
import { MetricStore } from '../store/metricStore.ts';
import { DataDirLockedError, DataLock } from './dataLock.ts';
import { DiskQuery } from './diskQuery.ts';
import { DiskProfiles } from './diskProfiles.ts';
import { DiskMetrics } from './diskMetrics.ts';
import { IndexBuilder } from './ingestFacts.ts';
import { MemoryBoundary } from './memoryBoundary.ts';
import { MAX_RECORD_BYTES, type DiskRecord, type RecordEncoding } from './record.ts';
import { bloomMayHold, buildBloom, emptyIndex, readIndex, writeIndex, type SegmentIndex } from './segmentIndex.ts';
import { recoverTail, scanRecords, scanSegment } from './segmentScan.ts';
import { SegmentWriter } from './segmentWriter.ts';
import { SegmentView } from './segmentView.ts';
import { SegmentShares } from './segmentShares.ts';

export interface DiskTierOptions {
  budgetBytes: number;
  retentionHours: number;
}

/** The in-memory stores whose newest items describe each record (for the index). */
export interface HotStores {
  traces: TraceStore;
  logs: LogStore;
  profiles: ProfileStore;
  metrics: MetricStore;
}

const MAX_SEGMENT_BYTES = 16 * 1024 * 1024;
const MIN_SEGMENT_BYTES = 64 * 1024;
const RETENTION_CHECK_MS = 60_000;

export class DiskTier {
  /** Sealed segments, oldest first, then the one being written. */
  readonly segments: SegmentIndex[] = [];
  private writer: SegmentWriter | undefined;
  private builder: IndexBuilder | undefined;
  private nextSeq = 0;
  private readonly segmentBytes: number;
  private readonly timer: NodeJS.Timeout;
  /** What memory still holds of the records written. */
  private readonly memory: MemoryBoundary;
  /** While the last session's newest records are loaded back into memory, they are not written again. */
  private restoring = false;
  readonly dropped = { segments: 0, bytes: 0, spans: 0, logs: 0, metricPoints: 0, profiles: 0 };
  readonly damage = { tornBytes: 0, damagedRecords: 0, rebuiltIndexes: 0 };
  readonly query = new DiskQuery(this);
  readonly profiles = new DiskProfiles(this);
  readonly metrics = new DiskMetrics(this);
  /** Each segment's share of the aggregates, for what memory evicted of it (segmentShares.ts). */
  readonly shares: SegmentShares;
  /** Why the tier stopped writing (a full disk…); the engine goes on in memory. */
  error: string | undefined;

  private constructor(readonly dir: string, readonly options: DiskTierOptions, private readonly lock: DataLock | undefined, readonly hot: HotStores) {
    this.memory = new MemoryBoundary(hot);
    this.shares = new SegmentShares(hot);
    this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, Math.floor(options.budgetBytes / 8)));
    this.timer = setInterval(() => this.enforceLimits(), RETENTION_CHECK_MS);
    this.timer.unref();
  }

  /**
   * Opens (creating) the data folder and takes its lock; reads the segment indexes, and
   * recovers the segment a crash left open. Throws DataDirLockedError; a folder that
   * cannot be made or written gives a tier stopped from the start, its error saying why.
   */
  static open(dir: string, options: DiskTierOptions, hot: HotStores): DiskTier {
    let lock: DataLock;
    try {
      mkdirSync(dir, { recursive: true });
      lock = DataLock.take(dir);
    } catch (err) {
      if (err instanceof DataDirLockedError) throw err;
      // A folder that cannot be made or written: the engine still runs, in memory, and says why.
      const tier = new DiskTier(dir, options, undefined, hot);
      tier.fail(err as Error);
      return tier;
    }
    const tier = new DiskTier(dir, options, lock, hot);
    try {
      tier.load();
      tier.lastSeqAtOpen = tier.nextSeq - 1;
      tier.enforceLimits();
      tier.startSegment();
    } catch (err) {
      tier.fail(err as Error);
    }
    return tier;
  }

  private load(): void {
    // Segments are regular files: anything else under the name (a device, a folder) is not read.
    const files = readdirSync(this.dir).filter((f) => /^seg-\d{16}\.log$/.test(f) && statSync(join(this.dir, f)).isFile()).sort();
    for (const [n, file] of files.entries()) {
      const path = join(this.dir, file);
      let index = readIndex(`${path}.idx`);
      if (!index) {
        index = this.rebuildIndex(file, n === files.length - 1, n + 1 < files.length ? Number(files[n + 1].slice(4, 20)) : Infinity);
        this.damage.rebuiltIndexes++;
      }
      if (index.records === 0) {
        rmSync(path, { force: true });
        rmSync(`${path}.idx`, { force: true });
        continue;
      }
      this.segments.push(index);
      this.nextSeq = Math.max(this.nextSeq, index.lastSeq + 1);
    }
  }

  /**
   * An index from the segment itself: the last one may end in a torn record, cut off here.
   * Its records are numbered from the file's name up to the next file's (`nextFirstSeq`).
   */
  private rebuildIndex(file: string, last: boolean, nextFirstSeq: number): SegmentIndex {
    const path = join(this.dir, file);
    let records: DiskRecord[];
    if (last) {
      const r = recoverTail(path);
      this.damage.tornBytes += r.tornBytes;
      records = r.records;
    } else {
      const r = scanSegment(path);
      this.damage.damagedRecords += r.damaged;
      records = r.records;
    }
    const index = emptyIndex(file, Number(file.slice(4, 20)));
    // A record numbered outside that range, or out of order (a file copied or renamed), is
    // not this segment's: skipped and counted, or the index written would be refused on the
    // next start (its last number before its first) and the segment's range would overlap others.
    const kept = records.filter((r) => {
      const fits = r.seq >= index.firstSeq && r.seq < nextFirstSeq && r.seq > index.lastSeq;
      if (fits) index.lastSeq = r.seq;
      return fits;
    });
    this.damage.damagedRecords += records.length - kept.length;
    index.lastSeq = index.firstSeq - 1;
    records = kept;
    const builder = new IndexBuilder(index);
    for (const r of records) {
      const view = new SegmentView([r]);
      if (r.signal === 'traces') builder.spans(view.traces, view.traces.spanCount);
      else if (r.signal === 'logs') builder.logs(view.logs, view.logs.count);
      else if (r.signal === 'metrics') index.counts.metricPoints += countMetricPoints(r, index);
      else index.counts.profiles += countProfiles(r);
      noteRecord(index, r.signal, r.seq, r.receivedAt);
    }
    index.bytes = statSync(path).size;
    seal(index, builder);
    if (index.records) writeIndex(`${path}.idx`, index);
    return index;
  }

  /** Records that the engine stored `accepted` items of: appended, and described in the index. */
  received(signal: Signal, body: Buffer, encoding: RecordEncoding, accepted: number): void {
    const seq = this.restoring ? this.restoringSeq : this.nextSeq++;
    this.memory.noteRecord(signal, seq, accepted);
    // The profiles just stored are this record's: they are known by it once evicted.
    // Not a boundary: profiles on disk alone are found by the places memory holds (diskRefs), not by record range.
    if (signal === 'profiles') this.hot.profiles.noteRecord(seq, accepted);
    const metricTimes = signal === 'metrics' ? this.hot.metrics.takeAddedRange() : undefined;
    // Where the items just stored are kept on disk: their share once memory evicts them.
    const segment = this.restoring ? this.segmentHolding(seq) : this.writer && this.builder?.index;
    if (segment && (signal === 'traces' || signal === 'logs')) this.shares.noteStored(signal, accepted, segment);
    if (this.restoring || !this.writer || !this.builder) return;
    // A record this long could not be read back (its length would not be believed): only a
    // huge imported profile gets here, and it stays in memory only.
    if (body.length > MAX_RECORD_BYTES) return;
    const index = this.builder.index;
    if (signal === 'traces') this.builder.spans(this.hot.traces, accepted);
    else if (signal === 'logs') this.builder.logs(this.hot.logs, accepted);
    else if (signal === 'metrics') {
      index.counts.metricPoints += accepted;
      noteMetricTimes(index, metricTimes!);
    } else index.counts.profiles += accepted;
    const now = Date.now();
    this.writer.append(signal, encoding, seq, now, body);
    noteRecord(index, signal, seq, now);
    index.bytes = this.writer.bytes;
    if (this.writer.bytes >= this.segmentBytes) {
      this.roll();
      this.enforceLimits();
    }
  }

  /**
   * Resolves once every record appended so far is in its segment file (a segment just
   * rolled over included): records memory just evicted may still wait in a writer's
   * buffer (≤ 200 ms).
   */
  async written(): Promise<void> {
    await Promise.all([...this.closing.values(), this.writer?.flush()]);
  }

  /**
   * Resolves once every record memory has evicted can be read from its segment file, so
   * that memory and disk together hold everything: what reads both tiers waits here
   * (disk/bothTiers.ts), then reads synchronously. Ingest may evict more during a wait,
   * so it is checked again; a few rounds at most (a writer that failed holds nothing back).
   */
  async readable(): Promise<void> {
    for (let round = 0; round < 4; round++) {
      await this.written();
      const evicted = Math.max(this.memory.evictedUpTo('traces'), this.memory.evictedUpTo('logs'), this.memory.evictedUpTo('metrics'));
      if ([this.writer, ...this.closing.keys()].every((w) => !w || w.unwrittenFrom > evicted)) return;
    }
  }

  /** Writers of segments rolled over, until their files are closed. */
  private readonly closing = new Map<SegmentWriter, Promise<void>>();

  /**
   * The newest record whose items may not all be in memory for `signal`: one that wrote
   * into a chunk since evicted, or of the last session and not (yet) loaded back. Records
   * after it are all in memory, so queries on the disk tier read only up to it.
   */
  coldUpTo(signal: 'traces' | 'logs' | 'metrics'): number {
    const reload = this.reload;
    const notLoaded = reload?.status().state === 'done' ? reload.firstSeq - 1 : this.lastSeqAtOpen;
    return Math.max(this.memory.evictedUpTo(signal), notLoaded);
  }

  /** Whether memory may have evicted spans of the trace (it may then hold the rest, received since). */
  mayBeSplit(key: string): boolean {
    return this.memory.mayBeSplit(key);
  }

  /** While the last session's data loads back into memory, a trace may be there only in part. */
  get reloading(): boolean {
    return this.reload?.status().state === 'loading';
  }

  /** The background load of the last session's newest data into memory, once started. */
  reload: { readonly firstSeq: number; stop(): void; status(): DiskReloadStatus } | undefined;
  /** The newest record written before this engine started. */
  lastSeqAtOpen = -1;

  private restoringSeq = 0;

  /** True while a record of the last session is being loaded back (it is not forwarded again). */
  get replaying(): boolean {
    return this.restoring;
  }

  /** The newest sealed segments, oldest first, that fit in `bytes`: what a start loads back into memory. */
  reloadPlan(bytes: number): SegmentIndex[] {
    const sealed = this.segments.filter((s) => s !== this.builder?.index);
    let from = sealed.length;
    let total = 0;
    while (from > 0 && total + sealed[from - 1].bytes <= bytes) total += sealed[--from].bytes;
    return sealed.slice(from);
  }

  /** The segments written before this engine started, oldest first (sealed: this engine writes new ones). */
  lastSessionSegments(): SegmentIndex[] {
    return this.segments.filter((s) => s !== this.builder?.index && s.firstSeq <= this.lastSeqAtOpen);
  }

  /**
   * Loads one record of the last session back into memory through `ingest`. It is not
   * written again, and the memory it fills is marked with its own sequence number.
   */
  replay(r: DiskRecord, ingest: (r: DiskRecord) => void): void {
    this.restoring = true;
    this.restoringSeq = r.seq;
    try {
      ingest(r);
    } finally {
      this.restoring = false;
    }
  }

  /** The kept segment holding record `seq`, if any. */
  private segmentHolding(seq: number): SegmentIndex | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid];
      if (seq < s.firstSeq) hi = mid - 1;
      else if (seq > s.lastSeq) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** Whether a segment is still kept (not dropped by the budget or a clear since it was planned). */
  holds(index: SegmentIndex): boolean {
    return this.segments.includes(index);
  }

  /** Damage that a read found in `index`'s segment, counted once per segment. */
  readDamage(index: SegmentIndex, damaged: number): void {
    if (damaged) this.noteDamage(index, damaged);
  }

  /** The records of `index`'s segment for `signal` up to seq `upTo`, replayed into stores of their own. */
  view(index: SegmentIndex, signal: Signal, upTo = Infinity): SegmentView {
    const { records, damaged } = scanSegment(join(this.dir, index.file), (s, seq) => s === signal && seq <= upTo);
    if (damaged) this.noteDamage(index, damaged);
    return new SegmentView(records);
  }

  /** The records of `index`'s segment for `signal` whose seq `keep` accepts, as stored. */
  records(index: SegmentIndex, signal: Signal, keep: (seq: number) => boolean = () => true): DiskRecord[] {
    const { records, damaged } = scanSegment(join(this.dir, index.file), (s, seq) => s === signal && keep(seq));
    if (damaged) this.noteDamage(index, damaged);
    return records;
  }

  /**
   * As `records`, but only when the file's bytes contain one of `needles`: a segment
   * without any costs one read and one search, no record checks.
   */
  recordsContaining(index: SegmentIndex, signal: Signal, keep: (seq: number) => boolean, needles: readonly Buffer[]): DiskRecord[] {
    const buf = readFileSync(join(this.dir, index.file));
    if (!needles.some((n) => buf.includes(n))) return [];
    const { records, damaged } = scanRecords(buf, (s, seq) => s === signal && keep(seq));
    if (damaged) this.noteDamage(index, damaged);
    return records;
  }

  /** One view over several segments (a trace whose spans arrived across them). */
  viewOf(indexes: SegmentIndex[], signal: Signal): SegmentView {
    const records: DiskRecord[] = [];
    for (const index of indexes) {
      const r = scanSegment(join(this.dir, index.file), (s) => s === signal);
      if (r.damaged) this.noteDamage(index, r.damaged);
      records.push(...r.records);
    }
    return new SegmentView(records);
  }

  /** Whether `index`'s segment has spans of `service` (the open one is asked of its builder: it has no sealed index yet). */
  hasService(index: SegmentIndex, service: string): boolean {
    return index === this.builder?.index ? this.builder.services.has(service) : index.services.includes(service);
  }

  mayHoldTrace(index: SegmentIndex, hash: number): boolean {
    return index === this.builder?.index ? this.builder.traceHashes.has(hash) : bloomMayHold(index.traceBloom, hash);
  }

  private readonly damagedSeen = new Map<string, number>();

  /** A segment's damaged records are counted once, however often it is read. */
  private noteDamage(index: SegmentIndex, damaged: number): void {
    const before = this.damagedSeen.get(index.file) ?? 0;
    if (damaged > before) {
      this.damage.damagedRecords += damaged - before;
      this.damagedSeen.set(index.file, damaged);
    }
  }

  status(): DiskStatus {
    let bytes = 0;
    let oldest = Infinity;
    const counts = { spans: 0, logs: 0, metricPoints: 0, profiles: 0 };
    let segments = 0;
    for (const s of this.segments) {
      if (s.records) segments++;
      bytes += s.bytes;
      oldest = Math.min(oldest, s.firstReceivedMs);
      counts.spans += s.counts.spans;
      counts.logs += s.counts.logs;
      counts.metricPoints += s.counts.metricPoints;
      counts.profiles += s.counts.profiles;
    }
    return {
      dir: this.dir,
      bytes,
      budgetBytes: this.options.budgetBytes,
      retentionHours: this.options.retentionHours,
      segments,
      oldestReceivedAt: Number.isFinite(oldest) ? new Date(oldest).toISOString() : undefined,
      counts,
      dropped: { ...this.dropped },
      damage: { ...this.damage },
      error: this.error,
      ...(this.reload && { reload: this.reload.status() }),
      shares: { segments: this.shares.segments, bytes: this.shares.memoryBytes, full: this.shares.full },
    };
  }

  /** `DELETE /api/data`: every segment goes; writing starts again in a new one. */
  async clear(): Promise<void> {
    // What was being loaded back is cleared too: the load must not bring it back.
    this.reload?.stop();
    this.shares.clear(this.segments);
    const writer = this.writer;
    this.writer = undefined;
    this.builder = undefined;
    await writer?.discard();
    for (const s of this.segments) removeSegment(this.dir, s.file);
    this.segments.length = 0;
    this.query.clearCache();
    this.profiles.clear();
    this.metrics.clear();
    this.memory.clear();
    this.lastSeqAtOpen = -1;
    this.dropped.segments = this.dropped.bytes = this.dropped.spans = this.dropped.logs = this.dropped.metricPoints = this.dropped.profiles = 0;
    if (!this.error) this.startSegment();
  }

  /** Writes, syncs and indexes the open segment (and those still closing), and releases the folder. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.reload?.stop();
    const writer = this.writer;
    const builder = this.builder;
    this.writer = undefined;
    this.builder = undefined;
    if (writer && builder) {
      await writer.close();
      if (!writer.failed) this.finish(builder);
    }
    // Segments rolled just before: their writes and indexes end before the folder is released.
    await Promise.all(this.closing.values());
    this.lock?.release();
  }

  private startSegment(): void {
    const file = `seg-${String(this.nextSeq).padStart(16, '0')}.log`;
    const index = emptyIndex(file, this.nextSeq);
    this.writer = new SegmentWriter(join(this.dir, file), 0, (err) => this.fail(err));
    this.builder = new IndexBuilder(index);
    this.segments.push(index);
  }

  private roll(): void {
    const writer = this.writer!;
    const builder = this.builder!;
    // Sealed at once: queries read its Bloom filter and services while the file is closed.
    seal(builder.index, builder);
    this.startSegment();
    this.closing.set(writer, writer.close().then(() => {
      this.closing.delete(writer);
      if (!writer.failed) this.finish(builder);
    }));
  }

  private finish(builder: IndexBuilder): void {
    seal(builder.index, builder);
    if (!this.segments.includes(builder.index)) return;
    if (builder.index.records === 0) {
      this.segments.splice(this.segments.indexOf(builder.index), 1);
      removeSegment(this.dir, builder.index.file);
      return;
    }
    try {
      writeIndex(join(this.dir, `${builder.index.file}.idx`), builder.index);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  /** Drops the oldest sealed segments while over the budget or past the retention time. */
  enforceLimits(): void {
    const cutoff = Date.now() - this.options.retentionHours * 3_600_000;
    let total = this.segments.reduce((n, s) => n + s.bytes, 0);
    while (this.segments.length && this.segments[0] !== this.builder?.index) {
      const oldest = this.segments[0];
      if (total <= this.options.budgetBytes && oldest.lastReceivedMs >= cutoff) break;
      this.segments.shift();
      removeSegment(this.dir, oldest.file);
      this.shares.drop(oldest);
      total -= oldest.bytes;
      this.dropped.segments++;
      this.dropped.bytes += oldest.bytes;
      this.dropped.spans += oldest.counts.spans;
      this.dropped.logs += oldest.counts.logs;
      this.dropped.metricPoints += oldest.counts.metricPoints;
      this.dropped.profiles += oldest.counts.profiles;
    }
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = diskFailure(this.dir, err);
    console.error(`Loupe engine: ${this.error}`);
    const builder = this.builder;
    this.writer = undefined;
    this.builder = undefined;
    // What reached the disk before the error stays readable (the next start indexes the file).
    if (builder && builder.index.records === 0) this.segments.splice(this.segments.indexOf(builder.index), 1);
    else if (builder) seal(builder.index, builder);
  }
}

/** Why writing stopped and what to do, naming the folder. */
function diskFailure(dir: string, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  const memory = 'the engine goes on in memory only';
  if (code === 'ENOSPC' || code === 'EDQUOT') return `writing to disk stopped (the disk holding ${dir} is full); ${memory}. Free space (or choose another folder) and restart the engine.`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
    return `writing to disk stopped (the data folder ${dir} cannot be written: ${err.message}); ${memory}. Make it a writable folder (or choose another: loupe.persistence, --data-dir) and restart the engine.`;
  }
  return `writing to disk stopped (${code ?? 'error'}: ${err.message}); ${memory}. Free space (or choose another folder) and restart the engine.`;
}

function noteRecord(index: SegmentIndex, signal: Signal, seq: number, receivedAt: number): void {
  index.records++;
  index.signals[signal]++;
  index.lastSeq = seq;
  if (receivedAt < index.firstReceivedMs) index.firstReceivedMs = receivedAt;
  if (receivedAt > index.lastReceivedMs) index.lastReceivedMs = receivedAt;
}

function seal(index: SegmentIndex, builder: IndexBuilder): void {
  index.services = [...builder.services].sort();
  index.traceBloom = buildBloom(builder.traceHashes, builder.traceHashes.size);
}

function removeSegment(dir: string, file: string): void {
  rmSync(join(dir, file), { force: true });
  rmSync(join(dir, `${file}.idx`), { force: true });
}

/** Metric points in a record, counted by the ingest code on a scratch store, with their time range noted in `index`. */
function countMetricPoints(r: DiskRecord, index: SegmentIndex): number {
  if (r.encoding === 'compact') return 0;
  try {
    const store = new MetricStore();
    const ingest = new MetricIngest(store);
    ingest.export(r.body, r.encoding);
    noteMetricTimes(index, store.takeAddedRange());
    return ingest.lastAccepted;
  } catch {
    return 0;
  }
}

function noteMetricTimes(index: SegmentIndex, [min, max]: [number, number]): void {
  if (min < index.metricMinNs) index.metricMinNs = min;
  if (max > index.metricMaxNs) index.metricMaxNs = max;
}

/** Profiles in a record, counted by the ingest code. */
function countProfiles(r: DiskRecord): number {
  if (r.encoding === 'compact') return 1;
  try {
    const ingest = new ProfileIngest(() => '');
    ingest.export(r.body, r.encoding);
    return ingest.lastAccepted;
  } catch {
    return 0;
  }
}
