// Where memory's data ends and the disk tier's alone begins, one boundary per signal: the
// newest record some of whose items memory has evicted, so records up to it may be on disk
// only. Traces and logs: each in-memory chunk is noted with the newest record that wrote
// into it, until memory evicts the chunk. Metrics: the store evicts points oldest first in
// arrival order, and counts them; each record's points are a run of that order, so the
// records memory has (partly) evicted are those whose runs start before the count evicted.
// The ids of traces evicted are kept too (a filter), so a trace that gets new spans after
// its first ones left memory is known to be split.

import type { Signal } from '../ingest/ingest.ts';
import type { SpanChunk } from '../store/spanChunk.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import { EvictedTraces } from './evictedTraces.ts';
import { traceKeyHash } from './ingestFacts.ts';
import type { HotStores } from './diskTier.ts';

type BoundedSignal = 'traces' | 'logs' | 'metrics';

interface SeenChunk {
  chunk: object;
  lastSeq: number;
}

interface PointRun {
  seq: number;
  /** Points stored before this record's (since the store was last cleared), and after. */
  from: number;
  to: number;
}

export class MemoryBoundary {
  /** Each chunked store's chunks, oldest first, with the newest record that wrote into each. */
  private readonly seen: Record<'traces' | 'logs', SeenChunk[]> = { traces: [], logs: [] };
  /** The metric records' point runs, oldest first, from `runHead` on. */
  private readonly runs: PointRun[] = [];
  private runHead = 0;
  private pointsStored = 0;
  private readonly evicted: Record<BoundedSignal, number> = { traces: -1, logs: -1, metrics: -1 };
  private readonly evictedTraces = new EvictedTraces();

  constructor(private readonly hot: HotStores) {}

  /** Record `seq` of `signal` was just stored, `accepted` items of it (or loaded back). */
  noteRecord(signal: Signal, seq: number, accepted: number): void {
    // Evicted chunks are let go at once, whichever signal's data pushed them out.
    this.noteEvictions('traces');
    this.noteEvictions('logs');
    if (signal === 'metrics') this.noteMetricRecord(seq, accepted);
    if (signal !== 'traces' && signal !== 'logs') return;
    const chunks = this.hot[signal].chunks;
    const seen = this.seen[signal];
    const last = seen.at(-1);
    // Chunks are appended and evicted in order: those after the last one seen are new, and
    // the record may also have ended the last one seen.
    let c = chunks.length - 1;
    while (c >= 0 && chunks[c] !== last?.chunk) c--;
    if (last && c >= 0) last.lastSeq = Math.max(last.lastSeq, seq);
    for (let n = c + 1; n < chunks.length; n++) seen.push({ chunk: chunks[n], lastSeq: seq });
  }

  /** The newest record some of whose items memory has evicted since (-1: none). */
  evictedUpTo(signal: BoundedSignal): number {
    if (signal === 'metrics') this.noteMetricEvictions();
    else this.noteEvictions(signal);
    return this.evicted[signal];
  }

  /** Whether memory may have evicted spans of the trace (it may then hold the rest, received since). */
  mayBeSplit(key: string): boolean {
    return this.evictedTraces.mayHold(traceKeyHash(key));
  }

  clear(): void {
    this.seen.traces.length = this.seen.logs.length = 0;
    this.runs.length = 0;
    this.runHead = this.pointsStored = 0;
    this.evicted.traces = this.evicted.logs = this.evicted.metrics = -1;
    this.evictedTraces.clear();
  }

  private noteEvictions(signal: 'traces' | 'logs'): void {
    const chunks = this.hot[signal].chunks;
    const seen = this.seen[signal];
    while (seen.length && seen[0].chunk !== chunks[0]) {
      const gone = seen.shift()!;
      this.evicted[signal] = Math.max(this.evicted[signal], gone.lastSeq);
      if (signal !== 'traces') continue;
      let last: TraceEntry | undefined;
      for (const trace of (gone.chunk as SpanChunk).traces) {
        if (trace !== last) this.evictedTraces.add(traceKeyHash(trace.key));
        last = trace;
      }
    }
  }

  private noteMetricRecord(seq: number, points: number): void {
    if (points <= 0) return;
    this.runs.push({ seq, from: this.pointsStored, to: this.pointsStored + points });
    this.pointsStored += points;
  }

  private noteMetricEvictions(): void {
    const gone = this.hot.metrics.evicted;
    while (this.runHead < this.runs.length && this.runs[this.runHead].from < gone) {
      const run = this.runs[this.runHead];
      this.evicted.metrics = Math.max(this.evicted.metrics, run.seq);
      // A run evicted in part stays: memory holds the rest of it.
      if (run.to > gone) break;
      this.runHead++;
    }
    if (this.runHead > 1024 && this.runHead * 2 > this.runs.length) {
      this.runs.splice(0, this.runHead);
      this.runHead = 0;
    }
  }
}
