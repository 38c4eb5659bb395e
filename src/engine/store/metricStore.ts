// Metric points grouped into series (metric name + resource + point attributes), evicted
// oldest point first across all series.

import type { InstrumentationScope, KeyValue, Metric, Resource } from '../../protocol/otlp.ts';
import { Interner } from './interner.ts';
import { serviceNameOf } from './serviceName.ts';
import { keyValuesBytes } from './valueSize.ts';

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

/** A data point as decoded, without its attributes (they are the series'). */
export type StoredPoint = { timeUnixNano?: string; startTimeUnixNano?: string } & Record<string, unknown>;

export interface MetricSeries {
  readonly id: number;
  readonly name: string;
  readonly kind: MetricKind;
  readonly description: string;
  readonly unit: string;
  readonly aggregationTemporality: number;
  readonly isMonotonic: boolean;
  readonly serviceId: number;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly attributes: KeyValue[];
  points: StoredPoint[];
  head: number;
}

const KINDS: MetricKind[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];
const EVICT_BATCH = 256;
// Measured on the heap: a decoded point with its time strings and value, and its queue slots (480), and 40 a
// list element (bucket counts are decimal strings).
const POINT_BYTES = 480;

export class MetricStore {
  readonly services = new Interner();
  private readonly series = new Map<string, MetricSeries>();
  /** The series of each stored point, in arrival order: eviction follows it. */
  private queue: MetricSeries[] = [];
  private queueTimes: number[] = [];
  private head = 0;
  pointCount = 0;
  memoryBytes = 0;
  evicted = 0;
  /** Told of every stored point (golden signals derived from request metrics). */
  observer?: (series: MetricSeries, point: StoredPoint, service: string) => void;

  get oldestReceivedAt(): number {
    return this.head < this.queue.length ? this.queueTimes[this.head] : Infinity;
  }

  /** Stores the points of one metric; returns how many it stored. */
  add(metric: Metric, resource: Resource, resourceKey: string, scope: InstrumentationScope): number {
    const kind = KINDS.find((k) => metric[k] !== undefined);
    if (!kind) return 0;
    const data = metric[kind] as { dataPoints?: (StoredPoint & { attributes?: KeyValue[] })[]; aggregationTemporality?: number; isMonotonic?: boolean };
    const now = Date.now();
    let stored = 0;
    for (const point of data.dataPoints ?? []) {
      const attributes = point.attributes ?? [];
      delete point.attributes;
      const key = `${metric.name}\u0000${kind}\u0000${resourceKey}\u0000${JSON.stringify(attributes)}`;
      let s = this.series.get(key);
      if (!s) {
        s = {
          id: this.series.size, name: metric.name ?? '', kind, description: metric.description ?? '', unit: metric.unit ?? '',
          aggregationTemporality: data.aggregationTemporality ?? 0, isMonotonic: data.isMonotonic ?? false,
          serviceId: this.services.id(serviceNameOf(resource)), resource, scope, attributes, points: [], head: 0,
        };
        this.series.set(key, s);
        this.memoryBytes += 400 + key.length * 2 + keyValuesBytes(attributes);
      }
      s.points.push(point);
      this.queue.push(s);
      this.queueTimes.push(now);
      this.memoryBytes += pointBytes(point);
      stored++;
      this.observer?.(s, point, this.services.values[s.serviceId]);
    }
    this.pointCount += stored;
    return stored;
  }

  all(): IterableIterator<MetricSeries> {
    return this.series.values();
  }

  evictOldest(): number {
    const end = Math.min(this.queue.length, this.head + EVICT_BATCH);
    let freed = 0;
    for (let i = this.head; i < end; i++) {
      const s = this.queue[i];
      freed += pointBytes(s.points[s.head]);
      // Cleared at once: the slot would otherwise keep the point alive until compaction.
      s.points[s.head++] = undefined!;
      if (s.head > 1024 && s.head * 2 > s.points.length) {
        s.points = s.points.slice(s.head);
        s.head = 0;
      }
    }
    this.evicted += end - this.head;
    this.pointCount -= end - this.head;
    this.head = end;
    if (this.head > 65536 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.queueTimes = this.queueTimes.slice(this.head);
      this.head = 0;
    }
    this.memoryBytes -= freed;
    return freed;
  }

  clear(): void {
    this.series.clear();
    this.queue = [];
    this.queueTimes = [];
    this.head = 0;
    this.pointCount = 0;
    this.memoryBytes = 0;
    this.evicted = 0;
  }
}

function pointBytes(point: StoredPoint): number {
  let n = POINT_BYTES;
  for (const k of ['bucketCounts', 'explicitBounds', 'quantileValues', 'exemplars'] as const) {
    const v = point[k];
    if (Array.isArray(v)) n += v.length * 40;
  }
  return n;
}

/** Live points of a series, oldest first. */
export function seriesPoints(s: MetricSeries): StoredPoint[] {
  return s.head === 0 ? s.points : s.points.slice(s.head);
}
