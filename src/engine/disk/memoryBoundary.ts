// Where memory's data ends and the disk tier's alone begins: each in-memory chunk is noted
// with the newest record that wrote into it, so once memory evicts the chunk, records up
// to that one may be on disk only. The ids of traces evicted are kept too (a filter), so a
// trace that gets new spans after its first ones left memory is known to be split.

import type { Signal } from '../ingest/ingest.ts';
import type { SpanChunk } from '../store/spanChunk.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import { EvictedTraces } from './evictedTraces.ts';
import { traceKeyHash } from './ingestFacts.ts';
import type { HotStores } from './diskTier.ts';

interface SeenChunk {
  chunk: object;
  lastSeq: number;
}

export class MemoryBoundary {
  /** Each store's chunks, oldest first, with the newest record that wrote into each. */
  private readonly seen: Record<'traces' | 'logs', SeenChunk[]> = { traces: [], logs: [] };
  private readonly evicted = { traces: -1, logs: -1 };
  private readonly evictedTraces = new EvictedTraces();

  constructor(private readonly hot: HotStores) {}

  /** Record `seq` of `signal` was just stored (or loaded back). */
  noteRecord(signal: Signal, seq: number): void {
    // Evicted chunks are let go at once, whichever signal's data pushed them out.
    this.noteEvictions('traces');
    this.noteEvictions('logs');
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

  /** The newest record that wrote into a chunk memory has evicted since (-1: none). */
  evictedUpTo(signal: 'traces' | 'logs'): number {
    this.noteEvictions(signal);
    return this.evicted[signal];
  }

  /** Whether memory may have evicted spans of the trace (it may then hold the rest, received since). */
  mayBeSplit(key: string): boolean {
    return this.evictedTraces.mayHold(traceKeyHash(key));
  }

  clear(): void {
    this.seen.traces.length = this.seen.logs.length = 0;
    this.evicted.traces = this.evicted.logs = -1;
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
}
