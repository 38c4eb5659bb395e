// Metric points on the disk tier that memory evicted (or, after a restart, did not load
// back), for charts over a window memory no longer holds. Only segments with metric
// records up to the newest record memory evicted points of are read, and of those only
// the ones whose index says their points meet the window, newest first, within a time
// limit; each is replayed into a metric store of its own, kept for the next query.

import type { DiskAnswer } from '../../protocol/api.ts';
import type { MetricStore } from '../store/metricStore.ts';
import type { DiskTier } from './diskTier.ts';
import { ViewCache } from './viewCache.ts';

/** Segments are read for at most this long, then the chart shows what was read (marked partial). */
const METRIC_QUERY_MS = 2000;
/** Metric views kept between queries (a chart is redrawn as the window moves). */
const CACHE_BYTES = 32 * 1024 * 1024;

export interface ColdMetrics {
  /** Stores of the segments read, newest first. */
  stores: MetricStore[];
  answer: DiskAnswer;
}

export class DiskMetrics {
  private readonly cache = new ViewCache(CACHE_BYTES);

  constructor(private readonly tier: DiskTier) {}

  /** What the disk holds of the points memory no longer has, from segments whose points meet [start, end] (Unix ns). */
  stores(start: number | undefined, end: number | undefined): ColdMetrics {
    const upTo = this.tier.coldUpTo('metrics');
    const answer: DiskAnswer = { items: 0, segmentsRead: 0, partial: false };
    const stores: MetricStore[] = [];
    const deadline = Date.now() + METRIC_QUERY_MS;
    const segments = this.tier.segments;
    for (let i = segments.length - 1; i >= 0; i--) {
      const index = segments[i];
      if (index.firstSeq > upTo || !index.signals.metrics) continue;
      if ((start !== undefined && index.metricMaxNs < start) || (end !== undefined && index.metricMinNs > end)) continue;
      if (Date.now() > deadline) {
        answer.partial = true;
        break;
      }
      // As for traces: a segment wholly older than memory's data is read whole, once.
      const cap = index.lastSeq <= upTo ? Infinity : upTo;
      stores.push(this.cache.get(`metrics:${index.file}:${cap}:${index.lastSeq}`, () => this.tier.view(index, 'metrics', cap)).metrics);
      answer.segmentsRead++;
    }
    return { stores, answer };
  }

  clear(): void {
    this.cache.clear();
  }
}
