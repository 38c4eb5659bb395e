// Each disk segment's share of the aggregates memory keeps at ingest (operations,
// exceptions, functions and services of spans; log patterns), so they cover everything
// retained in either tier. Every item memory stores is noted with the segment its record
// went to (runs per chunk: a few numbers). When memory evicts the item while that
// segment is kept, its contribution moves into the segment's share instead of going;
// when the disk drops the segment (budget, retention, a clear), the share goes with it.
// After every segment is dropped, the aggregates are memory's alone again. After a
// restart, the segments not loaded back are counted into their shares (countRecord).

import { valueText } from '../../shared/plainValue.ts';
import type { LogRecord } from '../../protocol/otlp.ts';
import { ColdPatterns } from '../aggregates/coldPatterns.ts';
import { ColdSpans } from '../aggregates/coldSpans.ts';
import { ColdTotals } from '../aggregates/coldTotals.ts';
import { FunctionTally } from '../aggregates/functionTally.ts';
import type { PatternExample } from '../aggregates/logPatterns.ts';
import { SpanMark } from '../aggregates/spanMarks.ts';
import { LogIngest } from '../ingest/logIngest.ts';
import { TraceIngest } from '../ingest/traceIngest.ts';
import { decodeTracesJson } from '../otlp/json/traces.ts';
import type { LogChunk } from '../store/logChunk.ts';
import { LogStore } from '../store/logStore.ts';
import type { SpanChunk } from '../store/spanChunk.ts';
import { TraceStore } from '../store/traceStore.ts';
import type { HotStores } from './diskTier.ts';
import type { DiskRecord } from './record.ts';
import type { SegmentIndex } from './segmentIndex.ts';

/** Items [from, end) of a chunk came from records in `segment`. */
interface Run {
  from: number;
  end: number;
  segment: SegmentIndex;
}

interface Share {
  segment: SegmentIndex;
  spans: ColdSpans;
  patterns: ColdPatterns;
  /** Its memory when last measured; -1: changed since (measuring walks its sketches). */
  bytes: number;
}

const SCRATCH_LOG_CHUNK_BYTES = 1024 * 1024;

export class SegmentShares {
  private readonly shares = new Map<SegmentIndex, Share>();
  /** Segments dropped: what memory evicts of them later goes as it did without the disk. */
  private readonly gone = new WeakSet<SegmentIndex>();
  private readonly runs = new WeakMap<SpanChunk | LogChunk, Run[]>();
  /** Every share's operations and functions summed as they are added, and taken off when a segment drops. */
  private readonly totals = new ColdTotals();
  private ordered: Share[] | undefined;
  private scratch: Scratch | undefined;
  private counted = 0;
  /**
   * The shares stop growing past this (the engine sets a quarter of its memory budget):
   * what memory evicts meanwhile goes as it would without the disk, and a dropped
   * segment takes off only what its share holds, so the sums stay exact.
   */
  capBytes = Infinity;
  private version = 0;
  /** A share changed since `changes` was last read (eviction changes one per span: a flag, read once per answer). */
  private moved = false;
  /** Over `capBytes` when last measured (the engine measures before each eviction). */
  full = false;

  constructor(private readonly hot: HotStores) {
    hot.logs.patterns.exampleOf = (id) => this.example(id);
    hot.logs.patterns.forEachHeld = (visit) => { for (const share of this.shares.values()) share.patterns.forEach(visit); };
  }

  /** The last `count` items the store of `signal` appended came from a record written to `segment`. */
  noteStored(signal: 'traces' | 'logs', count: number, segment: SegmentIndex): void {
    const chunks: readonly (SpanChunk | LogChunk)[] = this.hot[signal].chunks;
    lastItems(chunks, count, (chunk, from, end) => {
      let runs = this.runs.get(chunk);
      if (!runs) this.runs.set(chunk, runs = []);
      const last = runs.at(-1);
      if (last && last.segment === segment && last.end === from) last.end = end;
      else runs.push({ from, end, segment });
    });
  }

  /** The share that keeps counting span `i` of `chunk` once memory evicts it, if a segment still holds it. */
  spanEvicted(chunk: SpanChunk, i: number): ColdSpans | undefined {
    if (this.full) return undefined;
    const runs = this.runs.get(chunk);
    const run = runs && runHolding(runs, i);
    return run && this.changed(this.shareOf(run.segment))?.spans;
  }

  /**
   * Memory evicts a chunk of log records: those a segment still holds stay counted in
   * their patterns, noted in the segment's share. Returns which (1) or undefined: none.
   */
  logsEvicted(chunk: LogChunk): Uint8Array | undefined {
    const runs = this.runs.get(chunk);
    if (!runs || this.full) return undefined;
    const kept = new Uint8Array(chunk.count);
    const store = this.hot.logs;
    for (const run of runs) {
      const share = this.changed(this.shareOf(run.segment));
      if (!share) continue;
      const newest = new Map<number, number>();
      const end = Math.min(run.end, chunk.count);
      for (let i = run.from; i < end; i++) {
        kept[i] = 1;
        share.patterns.add(chunk.pattern[i], chunk.severity[i], chunk.timeNs[i]);
        newest.set(chunk.pattern[i], i);
      }
      store.patterns.held += Math.max(0, end - run.from);
      for (const [id, i] of newest) share.patterns.setExample(id, exampleOf(store.decode(chunk, i)));
    }
    return kept;
  }

  /** The shares of evicted spans, oldest segment first (queries add them to memory's figures). */
  spans(): ColdSpans[] {
    return this.sorted().map((s) => s.spans);
  }

  /** The shares' operations, summed. */
  operations(): Pick<ColdSpans, 'operations'>[] {
    return this.totals.operations.size ? [{ operations: this.totals.operations }] : [];
  }

  /** The shares' functions, summed. */
  functions(): Pick<ColdSpans, 'functions'>[] {
    return this.totals.functions.size ? [{ functions: this.totals.functions }] : [];
  }

  /** The shares' exceptions, summed. */
  exceptions(): Pick<ColdSpans, 'exceptions'>[] {
    return this.totals.exceptions.size ? [{ exceptions: this.totals.exceptions }] : [];
  }

  get memoryBytes(): number {
    let bytes = 0;
    for (const share of this.shares.values()) {
      if (share.bytes < 0) share.bytes = 200 + share.spans.memoryBytes + share.patterns.memoryBytes;
      bytes += share.bytes;
    }
    // The totals are about one share's size: measured with the shares, not walked on every ask.
    if (this.shares.size) bytes += Math.round(bytes / this.shares.size);
    this.full = bytes > this.capBytes;
    return bytes;
  }

  /** Moves when a share changed since it was last read: answers built from the shares are kept until it does. */
  get changes(): number {
    if (this.moved) {
      this.moved = false;
      this.version++;
    }
    return this.version;
  }

  get segments(): number {
    return this.shares.size;
  }

  /** The disk dropped `segment`: its share comes off the aggregates. */
  drop(segment: SegmentIndex): void {
    this.gone.add(segment);
    const share = this.shares.get(segment);
    if (!share) return;
    share.patterns.takeFrom(this.hot.logs.patterns);
    this.shares.delete(segment);
    this.moved = true;
    this.ordered = undefined;
    this.totals.take(share.spans, this.spans());
  }

  /**
   * `segments` are all going (`DELETE /api/data`): memory's aggregates were cleared by
   * their stores, so the shares go without being taken off, and nothing evicted from
   * here on is kept for those segments.
   */
  clear(segments: readonly SegmentIndex[]): void {
    for (const s of segments) this.gone.add(s);
    this.shares.clear();
    this.moved = true;
    this.totals.clear();
    this.ordered = undefined;
    this.scratch = undefined;
  }

  /**
   * Counts a record of the last session that was not loaded back into `segment`'s share
   * (after a restart): decoded into scratch stores of the segment, nothing kept but the share.
   */
  countRecord(r: DiskRecord, segment: SegmentIndex): void {
    if (++this.counted % 64 === 0) void this.memoryBytes;
    const share = this.full ? undefined : this.changed(this.shareOf(segment));
    if (!share || (r.signal !== 'traces' && r.signal !== 'logs')) return;
    if (this.scratch?.segment !== segment) this.scratch = new Scratch(segment);
    const s = this.scratch;
    if (r.signal === 'traces') {
      lastItems(s.traces.chunks, s.addTraces(r), (chunk, from, end) => {
        for (let i = from; i < end; i++) share.spans.add(s.traces, chunk, i, chunk.traces[i], s.functions.codeOf(chunk, i));
      });
      return;
    }
    const patterns = this.hot.logs.patterns;
    const newest = new Map<number, { chunk: LogChunk; i: number }>();
    lastItems(s.logs.chunks, s.addLogs(r), (chunk, from, end) => {
      for (let i = from; i < end; i++) {
        const p = s.logs.patterns.byId.get(chunk.pattern[i]);
        if (!p) continue;
        const serviceId = this.hot.logs.services.id(s.logs.services.values[p.serviceId]);
        const id = patterns.addTemplate(serviceId, p.template, chunk.severity[i], chunk.timeNs[i], -1);
        patterns.held++;
        share.patterns.add(id, chunk.severity[i], chunk.timeNs[i]);
        const seen = newest.get(id);
        if (!seen || seen.chunk.firstId + seen.i < chunk.firstId + i) newest.set(id, { chunk, i });
      }
    });
    for (const [id, { chunk, i }] of newest) share.patterns.setExample(id, exampleOf(s.logs.decode(chunk, i)));
  }

  /** The counting of the last session's segments is over: its scratch stores go. */
  countingDone(): void {
    this.scratch = undefined;
  }

  private shareOf(segment: SegmentIndex): Share | undefined {
    if (this.gone.has(segment)) return undefined;
    let share = this.shares.get(segment);
    if (!share) {
      this.shares.set(segment, share = { segment, spans: new ColdSpans(this.totals, segment.firstSeq), patterns: new ColdPatterns(), bytes: -1 });
      this.ordered = undefined;
    }
    return share;
  }

  private changed(share: Share | undefined): Share | undefined {
    this.moved = true;
    if (share) share.bytes = -1;
    return share;
  }

  private sorted(): Share[] {
    return this.ordered ??= [...this.shares.values()].sort((a, b) => a.segment.firstSeq - b.segment.firstSeq);
  }

  /** A pattern's newest record in the newest share that has one (memory holds none of it). */
  private example(id: number): PatternExample | undefined {
    const shares = this.sorted();
    for (let s = shares.length - 1; s >= 0; s--) {
      const example = shares[s].patterns.example(id);
      if (example) return example;
    }
    return undefined;
  }
}

/** One segment's records decoded into stores of their own while it is counted. */
class Scratch {
  readonly traces = new TraceStore();
  /** The spans' functions, tallied from the places the ingest scanner found their code attributes. */
  readonly functions = new FunctionTally(this.traces);
  readonly logs = new LogStore(SCRATCH_LOG_CHUNK_BYTES);
  private readonly traceIngest = new TraceIngest(this.traces, () => {});
  private readonly logIngest = new LogIngest(this.logs);

  constructor(readonly segment: SegmentIndex) {
    this.traces.observer = {
      spanStored: (chunk, i, _trace, facts) => { if (chunk.bits[i] & SpanMark.CodeFunction) this.functions.add(chunk, i, facts.code); },
      traceEvicted: () => {},
      cleared: () => {},
    };
  }

  /** Returns the spans stored. */
  addTraces(r: DiskRecord): number {
    if (r.encoding === 'compact') return 0;
    try {
      if (r.encoding === 'protobuf') this.traceIngest.protobuf(r.body);
      else this.traceIngest.json(decodeTracesJson(r.body.toString('utf8')));
      return this.traceIngest.last.spans;
    } catch {
      // Accepted once by this code: a request it cannot decode now is of another version.
      return 0;
    }
  }

  /** Returns the records stored. */
  addLogs(r: DiskRecord): number {
    if (r.encoding === 'compact') return 0;
    try {
      this.logIngest.export(r.body, r.encoding);
      return this.logIngest.lastAccepted;
    } catch {
      return 0;
    }
  }
}

/** Visits the runs [from, end) of the last `count` items appended across `chunks`. */
function lastItems<C extends { count: number }>(chunks: readonly C[], count: number, visit: (chunk: C, from: number, end: number) => void): void {
  let left = count;
  for (let c = chunks.length - 1; c >= 0 && left > 0; c--) {
    const chunk = chunks[c];
    const from = Math.max(0, chunk.count - left);
    visit(chunk, from, chunk.count);
    left -= chunk.count - from;
  }
}

function runHolding(runs: Run[], i: number): Run | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const run = runs[mid];
    if (i < run.from) hi = mid - 1;
    else if (i >= run.end) lo = mid + 1;
    else return run;
  }
  return undefined;
}

function exampleOf(r: LogRecord): PatternExample {
  return { text: valueText(r.body), timeUnixNano: r.timeUnixNano ?? r.observedTimeUnixNano ?? '0' };
}
