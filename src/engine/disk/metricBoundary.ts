// Where memory's metric points end and the disk tier's alone begin. The metric store
// evicts points oldest first in arrival order, and counts them; each record's points are
// a run of that order. So the records whose points memory has (partly) evicted are the
// first ones whose runs start before the count evicted: queries read the disk up to them.

import type { MetricStore } from '../store/metricStore.ts';

interface PointRun {
  seq: number;
  /** Points stored before this record's (since the store was last cleared), and after. */
  from: number;
  to: number;
}

export class MetricBoundary {
  private readonly runs: PointRun[] = [];
  private head = 0;
  private stored = 0;
  private evicted = -1;

  constructor(private readonly store: MetricStore) {}

  /** Record `seq` just stored `points` points (or they were loaded back from it). */
  noteRecord(seq: number, points: number): void {
    if (points <= 0) return;
    this.runs.push({ seq, from: this.stored, to: this.stored + points });
    this.stored += points;
  }

  /** The newest record some of whose points memory evicted (-1: none). */
  evictedUpTo(): number {
    const gone = this.store.evicted;
    while (this.head < this.runs.length && this.runs[this.head].from < gone) {
      const run = this.runs[this.head];
      this.evicted = Math.max(this.evicted, run.seq);
      // A run evicted in part stays: memory holds the rest of it.
      if (run.to > gone) break;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.runs.length) {
      this.runs.splice(0, this.head);
      this.head = 0;
    }
    return this.evicted;
  }

  clear(): void {
    this.runs.length = 0;
    this.head = 0;
    this.stored = 0;
    this.evicted = -1;
  }
}
