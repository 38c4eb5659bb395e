// Queries over both tiers as one store: the in-memory answer first, then the disk tier
// for what memory no longer holds, newest segment first, skipping segments by their
// index (time range, services, trace ids) and stopping once older segments cannot
// change the answer or the time allowed is spent.

import type { DiskAnswer, LogEntry, TraceSummary } from '../../protocol/api.ts';
import type { LogFilter } from '../query/logSearch.ts';
import { searchLogs } from '../query/logSearch.ts';
import type { TraceFilter } from '../query/traceSearch.ts';
import { searchTraces, summarize } from '../query/traceSearch.ts';
import { traceAsOtlp } from '../query/traceExport.ts';
import { TraceIngest } from '../ingest/traceIngest.ts';
import { TraceStore } from '../store/traceStore.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import { traceKeyFromHex } from '../store/traceEntry.ts';
import type { DiskTier } from './diskTier.ts';
import { traceKeyHash } from './ingestFacts.ts';
import type { SegmentIndex } from './segmentIndex.ts';
import { ViewCache } from './viewCache.ts';

/** A query reads disk segments for at most this long, then answers with what it has (marked partial). */
export const DISK_QUERY_MS = 2000;

export class DiskQuery {
  private readonly cache = new ViewCache();

  constructor(private readonly tier: DiskTier) {}

  clearCache(): void {
    this.cache.clear();
  }

  /** `hot` is the in-memory answer; traces memory still holds are not read from disk. */
  traces(hotStore: TraceStore, f: TraceFilter, hot: TraceSummary[]): { traces: TraceSummary[]; disk?: DiskAnswer } {
    const idQuery = f.q && /^[0-9a-fA-F]{32}$/.test(f.q) ? traceKeyFromHex(f.q) : undefined;
    if (idQuery !== undefined) {
      if (hot.length) {
        const one = this.withColdPart(hot[0], this.tier.coldUpTo('traces'));
        return one === hot[0] ? { traces: hot } : { traces: [one], disk: { items: 1, segmentsRead: 0, partial: false } };
      }
      const found = this.trace(idQuery);
      if (!found) return { traces: hot };
      return { traces: [{ ...searchTraces(found.store, f)[0], fromDisk: true }], disk: { items: 1, segmentsRead: found.segmentsRead, partial: false } };
    }
    const upTo = this.tier.coldUpTo('traces');
    const merged = new Map<string, TraceSummary>();
    const answer = { items: 0, segmentsRead: 0, partial: false };
    const deadline = Date.now() + DISK_QUERY_MS;
    const startNs = (t: TraceSummary) => Number(t.startTimeUnixNano);
    for (const index of this.newestFirst(upTo, 'traces')) {
      if (f.service !== undefined && !this.tier.hasService(index, f.service)) continue;
      if ((f.start !== undefined && index.maxTimeNs < f.start) || (f.end !== undefined && index.minTimeNs > f.end)) continue;
      // Enough found, and everything in this and older segments ended before the newest kept ones started.
      if (merged.size >= f.limit && index.maxTimeNs < floorOf([...merged.values()], f.limit, startNs)) break;
      if (Date.now() > deadline) {
        answer.partial = true;
        break;
      }
      const view = this.view(index, 'traces', upTo);
      answer.segmentsRead++;
      for (const t of searchTraces(view.traces, { ...f, limit: f.limit })) {
        if (hotStore.get(traceKeyFromHex(t.traceId)!)) continue;
        const earlier = merged.get(t.traceId);
        merged.set(t.traceId, earlier ? mergeSummaries(earlier, t) : { ...t, fromDisk: true });
      }
    }
    // A trace memory holds that had spans evicted before: its summary counts both parts.
    const hotAnswer = hot.map((t) => this.withColdPart(t, upTo));
    if (!merged.size && hotAnswer.every((t, i) => t === hot[i])) return { traces: hot };
    const all = [...hotAnswer, ...merged.values()].sort((a, b) => startNs(b) - startNs(a)).slice(0, f.limit);
    answer.items = all.filter((t) => t.fromDisk).length;
    return { traces: all, disk: answer };
  }

  /**
   * A trace from both tiers: memory's entry, unless memory evicted some of its spans (or
   * is still loading the last session back); then every segment that may hold it is read
   * and the spans of both are merged, each once.
   */
  find(hotStore: TraceStore, key: string): FoundTrace | undefined {
    const hot = hotStore.get(key);
    if (hot && !this.tier.reloading && !this.tier.mayBeSplit(key)) return { store: hotStore, trace: hot, tier: 'memory' };
    const cold = this.trace(key);
    if (!cold) return hot && { store: hotStore, trace: hot, tier: 'memory' };
    if (!hot) return { ...cold, tier: 'disk' };
    return mergeTiers(hotStore, hot, cold.store, cold.trace);
  }

  /**
   * `t` (from memory) with the spans that evicted segments up to record `upTo` hold of
   * it: records up to there are not in memory, so the two parts are counted together.
   */
  private withColdPart(t: TraceSummary, upTo: number): TraceSummary {
    const key = traceKeyFromHex(t.traceId)!;
    if (!this.tier.mayBeSplit(key)) return t;
    const hash = traceKeyHash(key);
    let summary = t;
    for (const index of this.newestFirst(upTo, 'traces')) {
      if (!this.tier.mayHoldTrace(index, hash)) continue;
      const view = this.view(index, 'traces', upTo);
      const cold = view.traces.get(key);
      if (cold) summary = { ...mergeSummaries(summary, summarize(view.traces, cold)), partlyFromDisk: true };
    }
    return summary;
  }

  /** A trace memory no longer holds, gathered from every segment whose index may hold its id. */
  trace(key: string): { store: TraceStore; trace: TraceEntry; segmentsRead: number } | undefined {
    const hash = traceKeyHash(key);
    const indexes = this.tier.segments.filter((s) => s.signals.traces > 0 && this.tier.mayHoldTrace(s, hash));
    if (!indexes.length) return undefined;
    // One segment: its whole view, shared with the lists (a compare reads many traces of one segment).
    const view = indexes.length === 1 ? this.cache.get(`traces:${indexes[0].file}:Infinity:${indexes[0].lastSeq}`, () => this.tier.view(indexes[0], 'traces'))
      : this.cache.get(`trace:${Buffer.from(key, 'latin1').toString('hex')}:${indexes.map((s) => `${s.file}@${s.lastSeq}`).join(',')}`, () => this.tier.viewOf(indexes, 'traces'));
    const trace = view.traces.get(key);
    return trace ? { store: view.traces, trace, segmentsRead: indexes.length } : undefined;
  }

  /** `hot` is the in-memory answer; records read from disk that equal one of it are left out. */
  logs(f: LogFilter, hot: LogEntry[]): { logs: LogEntry[]; disk?: DiskAnswer } {
    // Pattern ids belong to the in-memory store's table (which counts the disk's records
    // too): a segment's records match by the pattern's service and template.
    const pattern = f.pattern === undefined ? undefined : this.patternKey(f.pattern);
    if (f.pattern !== undefined && !pattern) return { logs: hot };
    const upTo = this.tier.coldUpTo('logs');
    const traceHash = f.traceId ? traceKeyHash(Buffer.from(f.traceId, 'hex').toString('latin1')) : 0;
    const seen = new Set(hot.map(logKey));
    const found: LogEntry[] = [];
    const answer = { items: 0, segmentsRead: 0, partial: false };
    const deadline = Date.now() + DISK_QUERY_MS;
    const timeNs = (l: LogEntry) => Number(l.timeUnixNano);
    for (const index of this.newestFirst(upTo, 'logs')) {
      if (f.service !== undefined && !this.tier.hasService(index, f.service)) continue;
      if (pattern && !this.tier.hasService(index, pattern.service)) continue;
      if ((f.start !== undefined && index.maxTimeNs < f.start) || (f.end !== undefined && index.minTimeNs > f.end)) continue;
      if (traceHash && !this.tier.mayHoldTrace(index, traceHash)) continue;
      if (found.length + hot.length >= f.limit && index.maxTimeNs < floorOf([...hot, ...found], f.limit, timeNs)) break;
      if (Date.now() > deadline) {
        answer.partial = true;
        break;
      }
      const view = this.view(index, 'logs', upTo);
      answer.segmentsRead++;
      let viewFilter = f;
      if (pattern) {
        const serviceId = view.logs.services.find(pattern.service);
        const found = serviceId === undefined ? undefined : view.logs.patterns.find(serviceId, pattern.template);
        if (!found) continue;
        viewFilter = { ...f, pattern: found.id };
      }
      for (const entry of searchLogs(view.logs, viewFilter)) {
        const key = logKey(entry);
        if (seen.has(key)) continue;
        seen.add(key);
        if (f.pattern !== undefined) entry.patternId = f.pattern;
        else delete entry.patternId;
        found.push({ ...entry, fromDisk: true });
      }
    }
    if (!found.length) return { logs: hot };
    const all = [...hot, ...found].sort((a, b) => timeNs(b) - timeNs(a)).slice(0, f.limit);
    answer.items = all.filter((l) => l.fromDisk).length;
    return { logs: all, disk: answer };
  }

  /** The service and template of a pattern of memory's table, which the tier's segment views name by their own ids. */
  private patternKey(id: number): { service: string; template: string } | undefined {
    const logs = this.tier.hot.logs;
    const p = logs.patterns.byId.get(id);
    return p && { service: logs.services.values[p.serviceId], template: p.template };
  }

  /** Segments holding `signal` records at or before seq `upTo`, newest first. */
  private *newestFirst(upTo: number, signal: 'traces' | 'logs'): Generator<SegmentIndex> {
    const segments = this.tier.segments;
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i];
      if (s.firstSeq <= upTo && s.signals[signal] > 0) yield s;
    }
  }

  private view(index: SegmentIndex, signal: 'traces' | 'logs', upTo: number) {
    // A segment wholly older than what memory holds is read whole, once; the one that
    // straddles the boundary is read up to it, again as the boundary moves.
    const cap = index.lastSeq <= upTo ? Infinity : upTo;
    return this.cache.get(`${signal}:${index.file}:${cap}:${index.lastSeq}`, () => this.tier.view(index, signal, cap));
  }
}

export interface FoundTrace {
  store: TraceStore;
  trace: TraceEntry;
  /** Where its spans were read: `both` when memory held part of it. */
  tier: 'memory' | 'disk' | 'both';
}

/** One store holding the trace's spans from disk and those from memory that the disk has not (yet), each once. */
function mergeTiers(hotStore: TraceStore, hot: TraceEntry, coldStore: TraceStore, cold: TraceEntry): FoundTrace {
  const onDisk = new Set<string>();
  const coldData = traceAsOtlp(coldStore, cold);
  for (const rs of coldData.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) onDisk.add(span.spanId ?? '');
  const hotData = traceAsOtlp(hotStore, hot);
  let added = 0;
  for (const rs of hotData.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      ss.spans = (ss.spans ?? []).filter((span) => !onDisk.has(span.spanId ?? ''));
      added += ss.spans.length;
    }
  }
  // Every span memory holds was written already: the disk's copy is the whole trace.
  if (!added) return { store: coldStore, trace: cold, tier: 'both' };
  const store = new TraceStore();
  const ingest = new TraceIngest(store, () => {});
  ingest.json(coldData);
  ingest.json(hotData);
  store.chunks.at(-1)?.seal();
  return { store, trace: store.get(hot.key)!, tier: 'both' };
}

/** The `limit`-th largest value: what an older item must beat to enter the answer. */
function floorOf<T>(items: T[], limit: number, value: (t: T) => number): number {
  if (items.length < limit) return -Infinity;
  return items.map(value).sort((a, b) => b - a)[limit - 1];
}

/** One trace's summaries from two segments (its spans arrived across them). */
function mergeSummaries(a: TraceSummary, b: TraceSummary): TraceSummary {
  const [aStart, bStart] = [BigInt(a.startTimeUnixNano), BigInt(b.startTimeUnixNano)];
  const [aEnd, bEnd] = [aStart + BigInt(a.durationNanos), bStart + BigInt(b.durationNanos)];
  const start = aStart < bStart ? aStart : bStart;
  const end = aEnd > bEnd ? aEnd : bEnd;
  const root = a.hasRoot || !b.hasRoot ? a : b;
  return {
    ...root,
    startTimeUnixNano: start.toString(),
    durationNanos: (end - start).toString(),
    spanCount: a.spanCount + b.spanCount,
    errorCount: a.errorCount + b.errorCount,
    services: [...new Set([...a.services, ...b.services])].sort(),
    fromDisk: true,
  };
}

function logKey(l: LogEntry): string {
  return `${l.timeUnixNano}\u0000${l.severityNumber}\u0000${l.traceId ?? ''}\u0000${l.spanId ?? ''}\u0000${JSON.stringify(l.body)}`;
}
