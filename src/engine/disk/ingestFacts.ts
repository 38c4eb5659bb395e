// What a segment's index learns of each record as it is stored: read from the items the
// in-memory stores just appended (their columns already hold times, services and trace
// ids), so nothing is decoded twice.

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
    const ix = this.index;
    const groups = new Set<number>();
    let left = count;
    for (let c = store.chunks.length - 1; c >= 0 && left > 0; c--) {
      const chunk = store.chunks[c];
      const from = Math.max(0, chunk.count - left);
      for (let i = chunk.count - 1; i >= from; i--) {
        groups.add(chunk.group[i]);
        const key = chunk.traces[i].key;
        this.traceHashes.add(traceKeyHash(key));
        const start = chunk.startNs(i);
        if (start < ix.minTimeNs) ix.minTimeNs = start;
        if (start + chunk.durationNs[i] > ix.maxTimeNs) ix.maxTimeNs = start + chunk.durationNs[i];
      }
      left -= chunk.count - from;
    }
    for (const g of groups) this.services.add(store.services.values[store.groups[g].serviceId]);
    ix.counts.spans += count;
  }

  /** The last `count` log records the store appended. */
  logs(store: LogStore, count: number): void {
    const ix = this.index;
    const groups = new Set<number>();
    let left = count;
    for (let c = store.chunks.length - 1; c >= 0 && left > 0; c--) {
      const chunk = store.chunks[c];
      const from = Math.max(0, chunk.count - left);
      for (let i = chunk.count - 1; i >= from; i--) {
        groups.add(chunk.group[i]);
        if (chunk.traceHash[i]) this.traceHashes.add(chunk.traceHash[i]);
        const t = chunk.timeNs[i];
        if (t < ix.minTimeNs) ix.minTimeNs = t;
        if (t > ix.maxTimeNs) ix.maxTimeNs = t;
      }
      left -= chunk.count - from;
    }
    for (const g of groups) this.services.add(store.services.values[store.groups[g].serviceId]);
    ix.counts.logs += count;
  }
}

/** The hash a trace id's 16 bytes have in a segment's Bloom filter (the log store's idHash). */
export function traceKeyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) || 1;
}
