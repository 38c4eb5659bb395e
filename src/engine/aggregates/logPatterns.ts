// Log patterns, kept at ingest: every record is counted under its service's message
// template (logTemplate.ts), with the severity mix and counts per 10-second bucket, and
// taken off again when the store evicts it. Answering "what is this app logging" is then
// a walk over a few hundred patterns, not over a million records.
//
// The number of patterns is capped: past MAX_PATTERNS, records whose template is new are
// counted under one "other messages" pattern of their service, so a flood of unique
// messages cannot grow the table without bound.

import { logTemplate } from './logTemplate.ts';

export const MAX_PATTERNS = 2000;
export const BUCKET_NS = 10e9;
export const OVERFLOW_TEMPLATE = `(other messages: more than ${MAX_PATTERNS.toLocaleString('en-US')} patterns)`;
/** Severity classes in the order severity numbers run: 0 is unspecified. */
export const SEVERITY_CLASSES = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
const CACHE_SIZE = 1024;

export function severityClass(severityNumber: number): number {
  return severityNumber <= 0 ? 0 : Math.min(6, ((severityNumber - 1) >> 2) + 1);
}

/** A record's body as text and its time (decimal ns), as a pattern's example. */
export interface PatternExample {
  text: string;
  timeUnixNano: string;
}

export class LogPattern {
  count = 0;
  readonly severities = new Float64Array(SEVERITY_CLASSES.length);
  /** Counts by 10-second bucket of record time. */
  readonly buckets = new Map<number, number>();
  /** Store id of the newest record counted here. */
  newestId = -1;

  constructor(readonly id: number, readonly serviceId: number, readonly template: string) {}
}

export class LogPatterns {
  readonly byId = new Map<number, LogPattern>();
  private readonly byKey = new Map<string, LogPattern>();
  /** Recent message → template, so repeated messages skip the masking. */
  private cache = new Map<string, string>();
  private nextId = 1;
  /**
   * Records counted here that memory no longer holds: with the disk tier on, a record
   * memory evicts stays counted until the disk drops its segment (coldPatterns.ts).
   */
  held = 0;
  /** With the disk tier on: the newest record of a pattern memory holds none of, from the disk's shares. */
  exampleOf: ((id: number) => PatternExample | undefined) | undefined;
  /** With the disk tier on: visits the `held` records' counts, per pattern, by 10-second bucket and severity class (coldPatterns.ts). */
  forEachHeld: ((visit: (id: number, classBuckets: ReadonlyMap<number, number>) => void) => void) | undefined;
  private bucketCount = 0;
  private templateChars = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Every pattern id given out so far is below this. */
  get idLimit(): number {
    return this.nextId;
  }

  get memoryBytes(): number {
    let cacheChars = 0;
    for (const [m, t] of this.cache) cacheChars += m.length + t.length;
    return this.byId.size * 360 + this.templateChars * 2 + this.bucketCount * 40 + this.cache.size * 120 + cacheChars * 2;
  }

  /** Counts a record; returns its pattern's id. */
  add(serviceId: number, message: string, severity: number, timeNs: number, recordId: number): number {
    return this.addTemplate(serviceId, this.templateOf(message), severity, timeNs, recordId);
  }

  /** Counts a record whose template is known; `recordId` < 0: a record not in the store (read from disk). */
  addTemplate(serviceId: number, template: string, severity: number, timeNs: number, recordId: number): number {
    const key = `${serviceId}\u0000${template}`;
    let pattern = this.byKey.get(key);
    if (pattern === undefined) pattern = this.create(serviceId, template, key);
    pattern.count++;
    pattern.severities[severityClass(severity)]++;
    const bucket = Math.floor(timeNs / BUCKET_NS);
    const n = pattern.buckets.get(bucket);
    if (n === undefined) this.bucketCount++;
    pattern.buckets.set(bucket, (n ?? 0) + 1);
    if (recordId >= 0) pattern.newestId = recordId;
    return pattern.id;
  }

  /** The pattern of a service's template, if counted. */
  find(serviceId: number, template: string): LogPattern | undefined {
    return this.byKey.get(`${serviceId}\u0000${template}`);
  }

  /** Takes an evicted record off its pattern; a pattern left with no records goes. */
  remove(patternId: number, severity: number, timeNs: number): void {
    const pattern = this.byId.get(patternId);
    if (!pattern) return;
    pattern.count--;
    pattern.severities[severityClass(severity)]--;
    this.takeBucket(pattern, Math.floor(timeNs / BUCKET_NS), 1);
    if (pattern.count <= 0) this.drop(pattern);
  }

  /** Takes off the records a dropped disk segment held (counted by class and bucket); they were `held`. */
  removeCounts(patternId: number, count: number, severities: ArrayLike<number>, buckets: Map<number, number>): void {
    this.held -= count;
    const pattern = this.byId.get(patternId);
    if (!pattern) return;
    pattern.count -= count;
    for (let c = 0; c < severities.length; c++) pattern.severities[c] -= severities[c];
    for (const [bucket, n] of buckets) this.takeBucket(pattern, bucket, n);
    if (pattern.count <= 0) this.drop(pattern);
  }

  private takeBucket(pattern: LogPattern, bucket: number, count: number): void {
    const n = (pattern.buckets.get(bucket) ?? count) - count;
    if (n > 0) pattern.buckets.set(bucket, n);
    else if (pattern.buckets.delete(bucket)) this.bucketCount--;
  }

  private drop(pattern: LogPattern): void {
    const patternId = pattern.id;
    this.byId.delete(patternId);
    this.byKey.delete(`${pattern.serviceId}\u0000${pattern.template}`);
    this.bucketCount -= pattern.buckets.size;
    this.templateChars -= pattern.template.length;
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
    this.cache.clear();
    this.held = 0;
    this.bucketCount = 0;
    this.templateChars = 0;
  }

  private templateOf(message: string): string {
    let template = this.cache.get(message);
    if (template === undefined) {
      template = logTemplate(message);
      if (this.cache.size >= CACHE_SIZE) this.cache = new Map();
      if (message.length <= 200) this.cache.set(message, template);
    }
    return template;
  }

  private create(serviceId: number, template: string, key: string): LogPattern {
    if (this.byId.size >= MAX_PATTERNS) {
      const overflowKey = `${serviceId}\u0000${OVERFLOW_TEMPLATE}`;
      const overflow = this.byKey.get(overflowKey);
      if (overflow) return overflow;
      template = OVERFLOW_TEMPLATE;
      key = overflowKey;
    }
    const pattern = new LogPattern(this.nextId++, serviceId, template);
    this.byId.set(pattern.id, pattern);
    this.byKey.set(key, pattern);
    this.templateChars += template.length;
    return pattern;
  }
}
