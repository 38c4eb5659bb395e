// Trace search (`GET /api/traces`): the newest matching traces by start time. Span-level
// conditions (service, operation, status, attributes, text) must all hold on one span;
// duration and time range apply to the trace. Spans are scanned newest first over the
// typed-array columns, passing over traces that cannot make the answer; attribute and
// text conditions find candidate spans by searching the raw span bytes (block by block,
// as needed), so only candidates' attributes are decoded.

import type { TraceSummary } from '../../protocol/api.ts';
import { decodeKeyValues } from '../otlp/protobuf/common.ts';
import type { KeyValue } from '../../protocol/otlp.ts';
import { uint64ToDecimal } from '../otlp/protobuf/wire.ts';
import { BytePattern, LazyCandidates, storedByteFrequencies } from '../store/byteSearch.ts';
import { blockMayContain, textGrams } from '../store/textIndex.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import { traceKeyFromHex, type TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { allOf, attributeCondition, hasAttribute, type ChunkMatcher as Matcher } from './chunkConditions.ts';
import { attributeFilters, limit, oneOf, optionalNumber, optionalString, optionalTimeNs } from './params.ts';
import { valueText } from '../../shared/plainValue.ts';

export interface TraceFilter {
  service?: string;
  operation?: string;
  status?: 'error' | 'ok' | 'unset';
  minDurationMs?: number;
  maxDurationMs?: number;
  attrs: { key: string; value: string }[];
  q?: string;
  start?: number;
  end?: number;
  limit: number;
}

export function parseTraceFilter(q: URLSearchParams): TraceFilter {
  return {
    service: optionalString(q, 'service'),
    operation: optionalString(q, 'operation'),
    status: oneOf(q, 'status', ['error', 'ok', 'unset'] as const),
    minDurationMs: optionalNumber(q, 'minDurationMs'),
    maxDurationMs: optionalNumber(q, 'maxDurationMs'),
    attrs: attributeFilters(q),
    q: optionalString(q, 'q'),
    start: optionalTimeNs(q, 'start'),
    end: optionalTimeNs(q, 'end'),
    limit: limit(q, 50, 1000),
  };
}

const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

export function searchTraces(store: TraceStore, f: TraceFilter): TraceSummary[] {
  if (f.q && /^[0-9a-fA-F]{32}$/.test(f.q)) {
    const t = store.get(traceKeyFromHex(f.q)!);
    return t ? [summarize(store, t)] : [];
  }
  const spanLevel = spanPredicate(store, f);
  if (spanLevel === null) return [];
  // The newest traces by start time, whatever order they arrived in: chunks are read
  // newest first until no trace left unread can start after the ones kept. A trace
  // with a matching span in chunk c or before starts no later than the latest trace
  // start among those chunks' spans (a trace's start only moves earlier as spans come).
  const top = new NewestByStart(f.limit);
  const chunks = store.chunks;
  const latestStartUpTo = new Float64Array(chunks.length);
  for (let c = 0; c < chunks.length; c++) latestStartUpTo[c] = Math.max(c ? latestStartUpTo[c - 1] : -Infinity, chunks[c].latestTraceStartNs());
  // Traces already decided are stamped with this search's number instead of kept in a set.
  const stamp = ++searches;
  for (let c = chunks.length - 1; c >= 0; c--) {
    if (top.full && latestStartUpTo[c] <= top.floor) break;
    const chunk = chunks[c];
    // Span conditions are checked on spans within the time range: chunks wholly
    // outside it are not read at all.
    if ((f.start !== undefined && chunk.maxEndNs < f.start) || (f.end !== undefined && chunk.minStartNs > f.end)) continue;
    const match = spanLevel ? spanLevel(chunk) : ALL;
    if (!match) continue;
    const traces = chunk.traces;
    for (let i = chunk.count - 1; i >= 0; i--) {
      const t = traces[i];
      // A trace that cannot beat the kept ones is not tested at all: once the list is
      // full, most spans are passed over here, before any byte search.
      if (t.searchStamp === stamp || t.evicted || (top.full && t.startNs <= top.floor) || !match(i)) continue;
      t.searchStamp = stamp;
      if (matchesTraceLevel(t, f)) top.offer(t);
    }
  }
  return top.traces.map((t) => summarize(store, t));
}

let searches = 0;

const ALL = () => true;

/** The `limit` traces with the latest start seen so far, latest first. */
class NewestByStart {
  readonly traces: TraceEntry[] = [];

  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.traces.length >= this.limit;
  }

  /** The start a trace must beat to be kept once full. */
  get floor(): number {
    return this.traces[this.traces.length - 1].startNs;
  }

  offer(t: TraceEntry): void {
    const list = this.traces;
    if (this.full && t.startNs <= this.floor) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].startNs >= t.startNs) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, t);
    if (list.length > this.limit) list.pop();
  }
}

function matchesTraceLevel(t: TraceEntry, f: TraceFilter): boolean {
  const ms = t.durationNs / 1e6;
  if (f.minDurationMs !== undefined && ms < f.minDurationMs) return false;
  if (f.maxDurationMs !== undefined && ms > f.maxDurationMs) return false;
  if (f.start !== undefined && t.endNs < f.start) return false;
  if (f.end !== undefined && t.startNs > f.end) return false;
  return true;
}

/** A span test for one chunk, or null when no span of the chunk can pass. */
type ChunkMatcher = Matcher<SpanChunk>;

/** undefined: no span-level condition; null: a condition nothing can meet. */
function spanPredicate(store: TraceStore, f: TraceFilter): ChunkMatcher | null | undefined {
  if (!f.service && !f.operation && !f.status && !f.attrs.length && !f.q) return undefined;
  const serviceId = f.service === undefined ? -1 : store.services.find(f.service);
  if (serviceId === undefined) return null;
  const nameId = f.operation === undefined ? -1 : store.names.find(f.operation);
  if (nameId === undefined) return null;
  const status = f.status === undefined ? -1 : STATUS_CODE[f.status];
  const groups = store.groups;
  const groupService = Int32Array.from(groups, (g) => g.serviceId);
  const conditions = f.attrs.map((a) => attributeCondition(store, a.key, a.value, (chunk, i) => hasAttribute(spanAttributes(chunk, i), a.key, a.value)));
  if (f.q !== undefined) conditions.push(textCondition(store, f.q));

  return (chunk) => {
    const rest = allOf(conditions, chunk);
    if (rest === null) return null;
    return (i) => {
      if (serviceId >= 0 && groupService[chunk.group[i]] !== serviceId) return false;
      if (nameId >= 0 && chunk.nameId[i] !== nameId) return false;
      if (status >= 0 && (chunk.bits[i] & SpanBits.StatusMask) >> SpanBits.StatusShift !== status) return false;
      return rest(i);
    };
  };
}

/** Free text: span names (any case) and attribute values (as typed, or lowercase). */
function textCondition(store: TraceStore, q: string): ChunkMatcher {
  const lower = q.toLowerCase();
  const names = new Uint8Array(store.names.size);
  store.names.values.forEach((n, id) => { names[id] = n.toLowerCase().includes(lower) ? 1 : 0; });
  const groupHit = Uint8Array.from(store.groups, (g) => attributesContain(g.resource.attributes, lower) ? 1 : 0);
  const needles = [...new Set([q, lower])].map((s) => new BytePattern(Buffer.from(s), storedByteFrequencies(store)));
  const trigrams = textGrams(q);
  return (chunk) => {
    // Blocks whose text filter lacks one of the text's trigrams cannot hold it.
    const candidates = new LazyCandidates(chunk, needles, (b) => !trigrams || b >= chunk.textIndexedBlocks || blockMayContain(chunk.textFilters!, b, trigrams));
    return (i) => {
      if (names[chunk.nameId[i]] || groupHit[chunk.group[i]]) return true;
      return candidates.has(i) && attributesContain(spanAttributes(chunk, i), lower);
    };
  };
}

/** Only the attributes of a stored span (field 9), not the whole span. */
function spanAttributes(chunk: SpanChunk, i: number): KeyValue[] {
  return decodeKeyValues(chunk.bytes, chunk.spanStart(i), chunk.ends[i], 9);
}

function attributesContain(kvs: KeyValue[] | undefined, lowerText: string): boolean {
  return !!kvs?.some((kv) => valueText(kv.value).toLowerCase().includes(lowerText));
}

export function summarize(store: TraceStore, t: TraceEntry): TraceSummary {
  const rootId = t.rootId >= 0 ? t.rootId : t.firstId;
  const root = store.locate(rootId);
  const first = store.locate(t.firstId);
  // Exact nanoseconds: the double columns are only for ordering and filtering.
  let start = -1n;
  let end = 0n;
  for (const id of t.spans) {
    const { chunk, index } = store.locate(id);
    const s = (BigInt(chunk.startHi[index]) << 32n) | BigInt(chunk.startLo[index]);
    const e = s + BigInt(chunk.durationNs[index]);
    if (start < 0n || s < start) start = s;
    if (e > end) end = e;
  }
  return {
    traceId: t.traceId,
    rootService: store.services.values[store.groups[root.chunk.group[root.index]].serviceId],
    rootName: store.names.values[root.chunk.nameId[root.index]],
    hasRoot: t.rootId >= 0,
    startTimeUnixNano: uint64ToDecimal(first.chunk.startLo[first.index], first.chunk.startHi[first.index]),
    durationNanos: (end - start).toString(),
    spanCount: t.spans.length,
    errorCount: t.errorCount,
    services: t.services.map((id) => store.services.values[id]),
  };
}
