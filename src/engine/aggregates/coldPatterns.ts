// One disk segment's share of the log patterns: the records memory evicted (or, after a
// restart, never loaded back) while the segment holds them. The pattern table keeps
// counting them (so pattern ids stay, and `GET /api/logs/patterns` answers over both
// tiers from the table alone); the share remembers what to take off again, by severity
// class and 10-second bucket, when the disk drops the segment. Counts are kept by class
// and bucket together, so a pattern list filtered by severity or time can be answered
// from them too (logPatternList.ts).

import { BUCKET_NS, SEVERITY_CLASSES, severityClass, type LogPatterns, type PatternExample } from './logPatterns.ts';

/** A bucket's severity classes take this many slots of its key. */
export const CLASS_SLOTS = 8;

interface Share {
  count: number;
  severities: Float64Array;
  /** Records by `bucket * 8 + severity class`. */
  classBuckets: Map<number, number>;
  example: PatternExample | undefined;
}

export class ColdPatterns {
  private readonly byId = new Map<number, Share>();
  private bytes = 0;

  get memoryBytes(): number {
    return this.bytes;
  }

  /** A record of pattern `id` (already counted in the table) is now held by this segment only. */
  add(id: number, severity: number, timeNs: number): void {
    let share = this.byId.get(id);
    if (!share) {
      this.byId.set(id, share = { count: 0, severities: new Float64Array(SEVERITY_CLASSES.length), classBuckets: new Map(), example: undefined });
      this.bytes += 200;
    }
    share.count++;
    const c = severityClass(severity);
    share.severities[c]++;
    const key = Math.floor(timeNs / BUCKET_NS) * CLASS_SLOTS + c;
    const n = share.classBuckets.get(key);
    if (n === undefined) this.bytes += 40;
    share.classBuckets.set(key, (n ?? 0) + 1);
  }

  /** The newest record of pattern `id` in this share, as its example. */
  setExample(id: number, example: PatternExample): void {
    const share = this.byId.get(id);
    if (!share) return;
    this.bytes += (example.text.length - (share.example?.text.length ?? 0)) * 2;
    share.example = example;
  }

  example(id: number): PatternExample | undefined {
    return this.byId.get(id)?.example;
  }

  /** Visits each pattern's records here, by `bucket * CLASS_SLOTS + severity class`. */
  forEach(visit: (id: number, classBuckets: ReadonlyMap<number, number>) => void): void {
    for (const [id, share] of this.byId) visit(id, share.classBuckets);
  }

  /** Takes this share's records off the table (its segment is dropped). */
  takeFrom(patterns: LogPatterns): void {
    for (const [id, share] of this.byId) {
      const buckets = new Map<number, number>();
      for (const [key, n] of share.classBuckets) {
        const bucket = Math.floor(key / CLASS_SLOTS);
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + n);
      }
      patterns.removeCounts(id, share.count, share.severities, buckets);
    }
    this.byId.clear();
    this.bytes = 0;
  }
}
