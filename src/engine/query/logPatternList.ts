// Log patterns (`GET /api/logs/patterns`), largest first. On a large store with no
// filter but the service, the answer comes straight from the counts kept at ingest
// (10-second buckets); otherwise the matching records are counted, in one pass over the
// columns, with sparkline points from their exact times. With the disk tier on, the kept
// counts also hold the records memory evicted that the disk keeps: an answer with no
// filter but the service then comes from them, over both tiers. A filter by severity
// level, time or pattern counts memory's records and adds the disk's from the counts
// its segments keep by severity class and 10-second bucket (the window's edges rounded
// to those buckets for them); a filter by text, attribute or trace counts memory's alone.

import type { LogPatternSummary } from '../../protocol/api.ts';
import { CLASS_SLOTS } from '../aggregates/coldPatterns.ts';
import { BUCKET_NS, SEVERITY_CLASSES, severityClass } from '../aggregates/logPatterns.ts';
import type { LogStore } from '../store/logStore.ts';
import { valueText } from '../../shared/plainValue.ts';
import { forEachMatch, parseLogFilter, type LogFilter } from './logSearch.ts';

const MAX_POINTS = 60;
/** Below this many records, counting them beats reading the kept 10-second buckets: finer sparklines. */
const COUNT_UP_TO = 250_000;
const MIN_STEP_NS = 1e9;

/** One pattern's numbers, from whichever source. */
interface PatternCounts {
  id: number;
  serviceId: number;
  template: string;
  count: number;
  severities: ArrayLike<number>;
  points: number[];
  newestId: number;
}

interface Grid { firstNs: number; stepNs: number; points: number }

/** `countUpTo`: the store size up to which records are counted even with no filter. */
export function listLogPatterns(store: LogStore, params: URLSearchParams, countUpTo = COUNT_UP_TO): LogPatternSummary[] {
  const f = parseLogFilter(params, { fallback: 50, max: 2000 });
  const onlyService = f.minSeverity === undefined && f.q === undefined && !f.attrs.length && f.traceId === undefined
    && f.spanId === undefined && f.start === undefined && f.end === undefined && f.pattern === undefined;
  const { patterns, grid } = onlyService && (store.count > countUpTo || store.patterns.held > 0) ? fromKept(store, f) : fromRecords(store, f);
  return patterns.map((p) => summary(store, p, grid));
}

function fromKept(store: LogStore, f: LogFilter): { patterns: PatternCounts[]; grid: Grid } {
  const serviceId = f.service === undefined ? -1 : store.services.find(f.service);
  const kept = serviceId === undefined ? [] : [...store.patterns.byId.values()].filter((p) => serviceId < 0 || p.serviceId === serviceId);
  const top = kept.sort((a, b) => b.count - a.count || b.newestId - a.newestId).slice(0, f.limit);
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of top) for (const b of p.buckets.keys()) { lo = Math.min(lo, b); hi = Math.max(hi, b); }
  const step = Number.isFinite(lo) ? Math.max(1, Math.ceil((hi - lo + 1) / MAX_POINTS)) : 1;
  const grid: Grid = { firstNs: lo * BUCKET_NS, stepNs: step * BUCKET_NS, points: Number.isFinite(lo) ? Math.floor((hi - lo) / step) + 1 : 0 };
  const patterns = top.map((p): PatternCounts => {
    const points = new Array<number>(grid.points).fill(0);
    for (const [bucket, n] of p.buckets) points[Math.floor((bucket - lo) / step)] += n;
    return { id: p.id, serviceId: p.serviceId, template: p.template, count: p.count, severities: p.severities, points, newestId: p.newestId };
  });
  return { patterns, grid };
}

/** Counts the records that match `f`: one pass, typed arrays, no per-record allocation. */
function fromRecords(store: LogStore, f: LogFilter): { patterns: PatternCounts[]; grid: Grid } {
  const slotOf = new Int32Array(store.patterns.idLimit).fill(-1);
  const ids: number[] = [];
  const newest: number[] = [];
  let counts = new Float64Array(64);
  let severities = new Float64Array(64 * SEVERITY_CLASSES.length);
  let matchSlot = new Int32Array(1024);
  let matchTime = new Float64Array(1024);
  let matchCount = new Float64Array(1024);
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const slotFor = (id: number, newestId: number): number => {
    let slot = slotOf[id];
    if (slot >= 0) return slot;
    slot = slotOf[id] = ids.length;
    ids.push(id);
    newest.push(newestId);
    if (slot === counts.length) {
      counts = grow(counts, slot * 2);
      severities = grow(severities, slot * 2 * SEVERITY_CLASSES.length);
    }
    return slot;
  };
  const count = (slot: number, c: number, t: number, times: number): void => {
    counts[slot] += times;
    severities[slot * SEVERITY_CLASSES.length + c] += times;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
    if (n === matchSlot.length) {
      matchSlot = grow(matchSlot, n * 2);
      matchTime = grow(matchTime, n * 2);
      matchCount = grow(matchCount, n * 2);
    }
    matchSlot[n] = slot;
    matchCount[n] = times;
    matchTime[n++] = t;
  };
  forEachMatch(store, f, (chunk, i) => {
    count(slotFor(chunk.pattern[i], chunk.firstId + i), severityClass(chunk.severity[i]), chunk.timeNs[i], 1);
    return true;
  });
  if (heldAnswers(store, f)) {
    // The records memory evicted that the disk holds, from their segments' counts.
    const serviceId = f.service === undefined ? -1 : store.services.find(f.service) ?? -2;
    const minClass = f.minSeverity ? severityClass(f.minSeverity) : 0;
    const [start, end] = [f.start ?? -Infinity, f.end ?? Infinity];
    store.patterns.forEachHeld?.((id, classBuckets) => {
      const kept = store.patterns.byId.get(id);
      if (!kept || (f.pattern !== undefined && id !== f.pattern) || (serviceId !== -1 && kept.serviceId !== serviceId)) return;
      for (const [key, times] of classBuckets) {
        const c = key % CLASS_SLOTS;
        const mid = (key - c) / CLASS_SLOTS * BUCKET_NS + BUCKET_NS / 2;
        // -1: memory holds none of it here; the example is then the disk's.
        if (c >= minClass && mid >= start && mid <= end) count(slotFor(id, -1), c, mid, times);
      }
    });
  }
  const top = ids.map((_, slot) => slot).sort((a, b) => counts[b] - counts[a] || newest[b] - newest[a]).slice(0, f.limit);
  const first = f.start ?? lo;
  const last = f.end ?? hi;
  const stepNs = Math.max(MIN_STEP_NS, Math.ceil((last - first + 1) / MAX_POINTS));
  const grid: Grid = n ? { firstNs: first, stepNs, points: Math.floor((last - first) / stepNs) + 1 } : { firstNs: 0, stepNs, points: 0 };
  const rank = new Int32Array(ids.length).fill(-1);
  top.forEach((slot, r) => { rank[slot] = r; });
  const points = new Float64Array(top.length * grid.points);
  for (let k = 0; k < n; k++) {
    const r = rank[matchSlot[k]];
    if (r >= 0) points[r * grid.points + Math.floor((matchTime[k] - first) / stepNs)] += matchCount[k];
  }
  const patterns = top.map((slot, r): PatternCounts => {
    const kept = store.patterns.byId.get(ids[slot]);
    return {
      id: ids[slot], serviceId: kept?.serviceId ?? 0, template: kept?.template ?? '', count: counts[slot],
      severities: severities.subarray(slot * SEVERITY_CLASSES.length, (slot + 1) * SEVERITY_CLASSES.length),
      points: Array.from(points.subarray(r * grid.points, (r + 1) * grid.points)), newestId: newest[slot],
    };
  });
  return { patterns, grid };
}

/**
 * Whether the disk's records (`held`) can be counted into a filtered list: their counts
 * are kept by pattern, severity class and 10-second bucket, so a level's first severity
 * number, a time window and a pattern can be told; text, attributes and trace ids cannot.
 */
function heldAnswers(store: LogStore, f: LogFilter): boolean {
  return store.patterns.held > 0 && f.q === undefined && !f.attrs.length && f.traceId === undefined && f.spanId === undefined
    && (f.minSeverity === undefined || f.minSeverity === 0 || (f.minSeverity - 1) % 4 === 0);
}

function grow<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}

function summary(store: LogStore, p: PatternCounts, grid: Grid): LogPatternSummary {
  const severities: Record<string, number> = {};
  SEVERITY_CLASSES.forEach((name, c) => { if (p.severities[c] > 0) severities[name] = p.severities[c]; });
  const newest = store.locate(p.newestId);
  let example = '';
  let lastSeen = '0';
  if (newest) {
    const r = store.decode(newest.chunk, newest.index);
    example = valueText(r.body);
    lastSeen = r.timeUnixNano ?? r.observedTimeUnixNano ?? '0';
  } else {
    // Memory holds none of the pattern's records: the disk's newest is the example.
    const cold = store.patterns.exampleOf?.(p.id);
    if (cold) ({ text: example, timeUnixNano: lastSeen } = cold);
  }
  return {
    id: p.id,
    service: store.services.values[p.serviceId] ?? '',
    pattern: p.template,
    count: p.count,
    severities,
    example,
    lastSeenUnixNano: lastSeen,
    points: p.points.map((count, k) => ({ time: nsText(grid.firstNs + k * grid.stepNs), count })),
  };
}

/** A time in ns held as a double, as the API writes times: decimal digits. */
function nsText(ns: number): string {
  return BigInt(Math.round(ns)).toString();
}
