// What a segment's index learns of each record as it is stored: read from the items the
// in-memory stores just appended (their columns already hold times, services and trace
// ids), so nothing is decoded twice.

import type { Interner } from '../store/interner.ts';
import type { LogStore } from '../store/logStore.ts';
import type { TraceStore } from '../store/traceStore.ts';
import type { SegmentIndex } from './segmentIndex.ts';

/** An index being filled while its segment is written. */
export class IndexBuilder {
  readonly traceHashes = new Set<number>();
  readonly services = new Set<string>();

  constructor(readonly index: SegmentIndex) {
    for (const s of index.services) this.services.add(s);
  }

  /** The last `count` spans the store appended. */
  spans(store: TraceStore, count: number): void {
    this.walk(store, count, (chunk, i) => {
      this.traceHashes.add(traceKeyHash(chunk.traces[i].key));
      const start = chunk.startNs(i);
      this.during(start, start + chunk.durationNs[i]);
    });
    this.index.counts.spans += count;
  }

  /** The last `count` log records the store appended. */
  logs(store: LogStore, count: number): void {
    this.walk(store, count, (chunk, i) => {
      if (chunk.traceHash[i]) this.traceHashes.add(chunk.traceHash[i]);
      this.during(chunk.timeNs[i], chunk.timeNs[i]);
    });
    this.index.counts.logs += count;
  }

  /** Visits the last `count` items a store appended, newest first, and notes their services. */
  private walk<C extends AppendedChunk>(store: AppendingStore<C>, count: number, visit: (chunk: C, i: number) => void): void {
    const groups = new Set<number>();
    let left = count;
    for (let c = store.chunks.length - 1; c >= 0 && left > 0; c--) {
      const chunk = store.chunks[c];
      const from = Math.max(0, chunk.count - left);
      for (let i = chunk.count - 1; i >= from; i--) {
        groups.add(chunk.group[i]);
        visit(chunk, i);
      }
      left -= chunk.count - from;
    }
    for (const g of groups) this.services.add(store.services.values[store.groups[g].serviceId]);
  }

  private during(startNs: number, endNs: number): void {
    if (startNs < this.index.minTimeNs) this.index.minTimeNs = startNs;
    if (endNs > this.index.maxTimeNs) this.index.maxTimeNs = endNs;
  }
}

/** What `walk` reads of the trace store or the log store, and of their chunks. */
interface AppendingStore<C extends AppendedChunk> {
  readonly chunks: readonly C[];
  readonly services: Interner;
  readonly groups: readonly { serviceId: number }[];
}

interface AppendedChunk {
  readonly count: number;
  readonly group: Int32Array;
}

/** The hash a trace id's 16 bytes have in a segment's Bloom filter (the log store's idHash). */
export function traceKeyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) || 1;
}
