// Metric points grouped into series (metric name + resource + point attributes), evicted
// oldest point first across all series. Points live in typed-array columns per series
// (pointLog.ts), and the arrival order that eviction follows in two typed arrays.

import type { InstrumentationScope, KeyValue, Metric, Resource } from '../../protocol/otlp.ts';
import { Interner } from './interner.ts';
import { serviceNameOf } from './serviceName.ts';
import { keyValuesBytes } from './valueSize.ts';
import { PointLog, type StoredPoint } from './pointLog.ts';

export type { StoredPoint } from './pointLog.ts';

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

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
  readonly points: PointLog;
}

const KINDS: MetricKind[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];
const EVICT_BATCH = 256;
/** The arrival queue's bytes a point: its series id and its arrival time. */
const QUEUE_BYTES = 4 + 8;
/** The queue's first room, below which it is not shrunk. */
const MIN_QUEUE = 1024;

export class MetricStore {
  readonly services = new Interner();
  private readonly series = new Map<string, MetricSeries>();
  private readonly byId: MetricSeries[] = [];
  /** The series id and arrival time (ms) of each stored point, in arrival order: eviction follows it. */
  private queueSeries = new Int32Array(MIN_QUEUE);
  private queueTimes = new Float64Array(MIN_QUEUE);
  private head = 0;
  private tail = 0;
  pointCount = 0;
  /** Series and points; the queue's columns are added in `memoryBytes`. */
  private heldBytes = 0;
  evicted = 0;
  /** The time range (Unix ns) of the points stored since `takeAddedRange` was last called: a disk segment's index keeps it. */
  private addedMinNs = Infinity;
  private addedMaxNs = -Infinity;
  /** Told of every stored point (golden signals derived from request metrics). */
  observer?: (series: MetricSeries, point: StoredPoint, service: string) => void;

  get memoryBytes(): number {
    return this.heldBytes + this.queueSeries.length * QUEUE_BYTES;
  }

  get oldestReceivedAt(): number {
    return this.head < this.tail ? this.queueTimes[this.head] : Infinity;
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
          id: this.byId.length, name: metric.name ?? '', kind, description: metric.description ?? '', unit: metric.unit ?? '',
          aggregationTemporality: data.aggregationTemporality ?? 0, isMonotonic: data.isMonotonic ?? false,
          serviceId: this.services.id(serviceNameOf(resource)), resource, scope, attributes, points: new PointLog(),
        };
        this.series.set(key, s);
        this.byId.push(s);
        this.heldBytes += 400 + key.length * 2 + keyValuesBytes(attributes) + s.points.memoryBytes;
      }
      this.heldBytes += s.points.push(point);
      const t = Number(point.timeUnixNano ?? 0);
      if (t < this.addedMinNs) this.addedMinNs = t;
      if (t > this.addedMaxNs) this.addedMaxNs = t;
      if (this.tail === this.queueSeries.length) this.growQueue();
      this.queueSeries[this.tail] = s.id;
      this.queueTimes[this.tail++] = now;
      stored++;
      this.observer?.(s, point, this.services.values[s.serviceId]);
    }
    this.pointCount += stored;
    return stored;
  }

  /** The time range of the points stored since the last call ([Infinity, -Infinity]: none), and starts again. */
  takeAddedRange(): [number, number] {
    const range: [number, number] = [this.addedMinNs, this.addedMaxNs];
    this.addedMinNs = Infinity;
    this.addedMaxNs = -Infinity;
    return range;
  }

  all(): IterableIterator<MetricSeries> {
    return this.series.values();
  }

  evictOldest(): number {
    const end = Math.min(this.tail, this.head + EVICT_BATCH);
    let freed = 0;
    for (let i = this.head; i < end; i++) freed += this.byId[this.queueSeries[i]].points.shift();
    this.evicted += end - this.head;
    this.pointCount -= end - this.head;
    this.head = end;
    this.heldBytes -= freed;
    // The queue's room counts too: halved once three quarters of it is empty.
    const room = this.queueSeries.length;
    if (room > MIN_QUEUE && (this.tail - this.head) * 4 <= room) this.moveQueue(room / 2);
    return freed;
  }

  clear(): void {
    this.series.clear();
    this.byId.length = 0;
    this.queueSeries = new Int32Array(MIN_QUEUE);
    this.queueTimes = new Float64Array(MIN_QUEUE);
    this.head = 0;
    this.tail = 0;
    this.pointCount = 0;
    this.heldBytes = 0;
    this.evicted = 0;
  }

  /** Moves the queue's live entries to the front, doubling it when more than half is live. */
  private growQueue(): void {
    const live = this.tail - this.head;
    this.moveQueue(live * 2 > this.queueSeries.length ? this.queueSeries.length * 2 : this.queueSeries.length);
  }

  /** Moves the queued points to the front of a queue of `size`. */
  private moveQueue(size: number): void {
    const live = this.tail - this.head;
    const series = size === this.queueSeries.length ? this.queueSeries : new Int32Array(size);
    const times = size === this.queueTimes.length ? this.queueTimes : new Float64Array(size);
    series.set(this.queueSeries.subarray(this.head, this.tail), 0);
    times.set(this.queueTimes.subarray(this.head, this.tail), 0);
    this.queueSeries = series;
    this.queueTimes = times;
    this.head = 0;
    this.tail = live;
  }
}

/** Live points of a series, oldest first. */
export function seriesPoints(s: MetricSeries): StoredPoint[] {
  return s.points.toArray();
}
