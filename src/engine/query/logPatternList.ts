// Log patterns (`GET /api/logs/patterns`), largest first. With no filter but the
// service, the answer comes straight from the counts kept at ingest; other filters
// (severity, text, attributes, time range) count the matching records, column by column.

import type { LogPatternSummary } from '../../protocol/api.ts';
import { BUCKET_NS, type LogPattern, SEVERITY_CLASSES, severityClass } from '../aggregates/logPatterns.ts';
import type { LogStore } from '../store/logStore.ts';
import { valueText } from '../../shared/plainValue.ts';
import { forEachMatch, parseLogFilter, type LogFilter } from './logSearch.ts';

const MAX_POINTS = 60;

/** What a pattern summary is made from: the kept pattern, or counts of matching records. */
interface PatternCounts {
  id: number;
  serviceId: number;
  template: string;
  count: number;
  severities: ArrayLike<number>;
  buckets: Map<number, number>;
  newestId: number;
}

export function listLogPatterns(store: LogStore, params: URLSearchParams): LogPatternSummary[] {
  const f = parseLogFilter(params, { fallback: 50, max: 2000 });
  const onlyService = f.minSeverity === undefined && f.q === undefined && !f.attrs.length && f.traceId === undefined
    && f.spanId === undefined && f.start === undefined && f.end === undefined && f.pattern === undefined;
  const counts = onlyService ? keptCounts(store, f) : matchingCounts(store, f);
  if (counts === undefined) return [];
  const top = counts.sort((a, b) => b.count - a.count || b.newestId - a.newestId).slice(0, f.limit);
  const grid = timeGrid(top, f);
  return top.map((p) => summary(store, p, grid));
}

function keptCounts(store: LogStore, f: LogFilter): PatternCounts[] | undefined {
  const serviceId = f.service === undefined ? -1 : store.services.find(f.service);
  if (serviceId === undefined) return undefined;
  const out: LogPattern[] = [];
  for (const p of store.patterns.byId.values()) if (serviceId < 0 || p.serviceId === serviceId) out.push(p);
  return out;
}

function matchingCounts(store: LogStore, f: LogFilter): PatternCounts[] {
  const byId = new Map<number, PatternCounts>();
  forEachMatch(store, f, (chunk, i) => {
    const id = chunk.pattern[i];
    let p = byId.get(id);
    if (!p) {
      const kept = store.patterns.byId.get(id);
      p = { id, serviceId: kept?.serviceId ?? 0, template: kept?.template ?? '', count: 0, severities: new Float64Array(SEVERITY_CLASSES.length), buckets: new Map(), newestId: chunk.firstId + i };
      byId.set(id, p);
    }
    p.count++;
    (p.severities as Float64Array)[severityClass(chunk.severity[i])]++;
    const bucket = Math.floor(chunk.timeNs[i] / BUCKET_NS);
    p.buckets.set(bucket, (p.buckets.get(bucket) ?? 0) + 1);
    return true;
  });
  return [...byId.values()];
}

interface Grid { first: number; step: number; points: number }

/** One grid of buckets for every pattern shown, so their sparklines line up. */
function timeGrid(patterns: PatternCounts[], f: LogFilter): Grid {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of patterns) {
    for (const b of p.buckets.keys()) {
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
  }
  if (f.start !== undefined) lo = Math.floor(f.start / BUCKET_NS);
  if (f.end !== undefined) hi = Math.floor(f.end / BUCKET_NS);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) return { first: 0, step: 1, points: 0 };
  const step = Math.max(1, Math.ceil((hi - lo + 1) / MAX_POINTS));
  return { first: lo, step, points: Math.floor((hi - lo) / step) + 1 };
}

function summary(store: LogStore, p: PatternCounts, grid: Grid): LogPatternSummary {
  const severities: Record<string, number> = {};
  SEVERITY_CLASSES.forEach((name, c) => { if (p.severities[c] > 0) severities[name] = p.severities[c]; });
  const counts = new Array<number>(grid.points).fill(0);
  for (const [bucket, n] of p.buckets) {
    const k = Math.floor((bucket - grid.first) / grid.step);
    if (k >= 0 && k < grid.points) counts[k] += n;
  }
  const newest = store.locate(p.newestId);
  let example = '';
  let lastSeen = '0';
  if (newest) {
    const r = store.decode(newest.chunk, newest.index);
    example = valueText(r.body);
    lastSeen = r.timeUnixNano ?? r.observedTimeUnixNano ?? '0';
  }
  return {
    id: p.id,
    service: store.services.values[p.serviceId] ?? '',
    pattern: p.template,
    count: p.count,
    severities,
    example,
    lastSeenUnixNano: lastSeen,
    points: counts.map((count, k) => ({ time: bucketTime(grid.first + k * grid.step), count })),
  };
}

/** A bucket's start in Unix ns (exact: the product passes 2^53). */
function bucketTime(bucket: number): string {
  return (BigInt(bucket) * BigInt(BUCKET_NS)).toString();
}
