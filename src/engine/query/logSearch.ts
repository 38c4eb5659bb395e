// Log search (`GET /api/logs`), newest first. Records are scanned over the typed-array
// columns (service, severity, pattern, time, trace and span id hashes); attribute and
// text conditions first find candidate records in the raw bytes, through the chunk's
// Bloom and 4-gram filters, so only candidates are decoded.

import type { LogEntry } from '../../protocol/api.ts';
import type { LogRecord } from '../../protocol/otlp.ts';
import { plainAttributes, plainValue, valueText } from '../../shared/plainValue.ts';
import { severityOfText } from '../ingest/scanLogs.ts';
import { BytePattern, candidatesInBlocks, storedByteFrequencies } from '../store/byteSearch.ts';
import { hexIdHash, type LogChunk } from '../store/logChunk.ts';
import type { LogStore } from '../store/logStore.ts';
import { blockCount, blockMayContain, QUADGRAMS, textGrams } from '../store/textIndex.ts';
import { allOf, attributeCondition, blocksOf, hasAttribute, type ChunkMatcher as Matcher } from './chunkConditions.ts';
import { attributeFilters, hexId, limit, optionalString, optionalTimeNs, QueryError } from './params.ts';

export interface LogFilter {
  service?: string;
  minSeverity?: number;
  q?: string;
  attrs: { key: string; value: string }[];
  traceId?: string;
  spanId?: string;
  start?: number;
  end?: number;
  pattern?: number;
  limit: number;
}

export function parseLogFilter(q: URLSearchParams, limits = { fallback: 200, max: 5000 }): LogFilter {
  return {
    service: optionalString(q, 'service'),
    minSeverity: severity(optionalString(q, 'minSeverity')),
    q: optionalString(q, 'q'),
    attrs: attributeFilters(q),
    traceId: hexId(q, 'traceId', 32),
    spanId: hexId(q, 'spanId', 16),
    start: optionalTimeNs(q, 'start'),
    end: optionalTimeNs(q, 'end'),
    pattern: patternId(optionalString(q, 'pattern')),
    limit: limit(q, limits.fallback, limits.max),
  };
}

function severity(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const byName = severityOfText(v);
  if (byName) return byName;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 24) throw new QueryError('minSeverity', `expected 0–24 or one of trace, debug, info, warn, error, fatal; got "${v.slice(0, 40)}"`);
  return n;
}

function patternId(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new QueryError('pattern', `expected a pattern id (a whole number from GET /api/logs/patterns), got "${v.slice(0, 40)}"`);
  return Number(v);
}

/** A record test for one chunk, or null when no record of the chunk can pass. */
type ChunkMatcher = Matcher<LogChunk>;

/**
 * Visits the records that match `f` (all but its limit), newest chunk first and newest
 * record first within a chunk; `visit` returns false to stop.
 */
export function forEachMatch(store: LogStore, f: LogFilter, visit: (chunk: LogChunk, i: number) => boolean): void {
  const matcher = recordMatcher(store, f);
  if (!matcher) return;
  for (let c = store.chunks.length - 1; c >= 0; c--) {
    const chunk = store.chunks[c];
    if ((f.start !== undefined && chunk.maxTimeNs < f.start) || (f.end !== undefined && chunk.minTimeNs > f.end)) continue;
    const match = matcher(chunk);
    if (!match) continue;
    for (let i = chunk.count - 1; i >= 0; i--) if (match(i) && !visit(chunk, i)) return;
  }
}

export function searchLogs(store: LogStore, f: LogFilter): LogEntry[] {
  const found: { chunk: LogChunk; i: number }[] = [];
  forEachMatch(store, f, (chunk, i) => {
    found.push({ chunk, i });
    return found.length < f.limit;
  });
  found.sort((a, b) => b.chunk.timeNs[b.i] - a.chunk.timeNs[a.i]);
  const groups = new Map<number, GroupView>();
  return found.map(({ chunk, i }) => logEntry(store, chunk, i, groups));
}

/** null: a condition nothing can meet. */
function recordMatcher(store: LogStore, f: LogFilter): ChunkMatcher | null {
  const serviceId = f.service === undefined ? -1 : store.services.find(f.service);
  if (serviceId === undefined) return null;
  if (f.pattern !== undefined && !store.patterns.byId.has(f.pattern)) return null;
  const groupService = Int32Array.from(store.groups, (g) => g.serviceId);
  const minSeverity = f.minSeverity ?? 0;
  const pattern = f.pattern ?? -1;
  const start = f.start ?? -Infinity;
  const end = f.end ?? Infinity;
  const traceHash = f.traceId ? hexIdHash(f.traceId) : 0;
  const spanHash = f.spanId ? hexIdHash(f.spanId) : 0;
  const conditions = f.attrs.map((a) => attributeCondition(store, a.key, a.value, (chunk, i) => hasAttribute(store.decode(chunk, i).attributes, a.key, a.value)));
  if (f.q !== undefined) conditions.push(textCondition(store, f.q));

  return (chunk) => {
    const rest = allOf(conditions, chunk);
    if (rest === null) return null;
    return (i) => {
      if (serviceId >= 0 && groupService[chunk.group[i]] !== serviceId) return false;
      if (chunk.severity[i] < minSeverity) return false;
      if (pattern >= 0 && chunk.pattern[i] !== pattern) return false;
      const t = chunk.timeNs[i];
      if (t < start || t > end) return false;
      if (traceHash && chunk.traceHash[i] !== traceHash) return false;
      if (spanHash && chunk.spanHash[i] !== spanHash) return false;
      if (!rest(i)) return false;
      // The hashes can collide: the ids themselves decide.
      if (traceHash || spanHash) {
        const r = store.decode(chunk, i);
        if ((f.traceId && r.traceId !== f.traceId) || (f.spanId && r.spanId !== f.spanId)) return false;
      }
      return true;
    };
  };
}

/**
 * Free text in the body, the attribute values or the severity text, in any case. The
 * bytes are searched for the text as typed, in lower, upper and title case; a record
 * that holds it in another mix of cases is not found.
 */
function textCondition(store: LogStore, q: string): ChunkMatcher {
  const lower = q.toLowerCase();
  const variants = [q, lower, q.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)];
  const needles = [...new Set(variants)].map((s) => new BytePattern(Buffer.from(s), storedByteFrequencies(store)));
  const grams = textGrams(q, QUADGRAMS);
  return (chunk) => {
    const blocks = blocksOf(chunk).filter((b) => !grams || b >= chunk.textIndexedBlocks || blockMayContain(chunk.textFilters!, b, grams, QUADGRAMS));
    if (!blocks.length) return null;
    const candidates = candidatesInBlocks(chunk, needles, blocks);
    return (i) => candidates[i] === 1 && recordContains(store.decode(chunk, i), lower);
  };
}

function recordContains(r: LogRecord, lowerText: string): boolean {
  if (valueText(r.body).toLowerCase().includes(lowerText)) return true;
  if ((r.severityText ?? '').toLowerCase().includes(lowerText)) return true;
  return !!r.attributes?.some((kv) => valueText(kv.value).toLowerCase().includes(lowerText));
}

/** A record group's resource and scope as the API shows them, made once per answer. */
type GroupView = Pick<LogEntry, 'resource' | 'scope' | 'service'>;

/** A stored record as the API shows it; `groups` shares group views between the records of one answer. */
export function logEntry(store: LogStore, chunk: LogChunk, i: number, groups = new Map<number, GroupView>()): LogEntry {
  const r = store.decode(chunk, i);
  let group = groups.get(chunk.group[i]);
  if (!group) {
    const g = store.groups[chunk.group[i]];
    group = {
      resource: plainAttributes(g.resource.attributes),
      scope: { name: g.scope.name ?? '', version: g.scope.version ?? '', attributes: plainAttributes(g.scope.attributes) },
      service: store.services.values[g.serviceId],
    };
    groups.set(chunk.group[i], group);
  }
  const entry: LogEntry = {
    timeUnixNano: r.timeUnixNano ?? r.observedTimeUnixNano ?? '0',
    severityNumber: r.severityNumber ?? 0,
    severityText: r.severityText ?? '',
    body: plainValue(r.body),
    attributes: plainAttributes(r.attributes),
    ...group,
    patternId: chunk.pattern[i],
  };
  if (r.observedTimeUnixNano) entry.observedTimeUnixNano = r.observedTimeUnixNano;
  if (r.traceId) entry.traceId = r.traceId;
  if (r.spanId) entry.spanId = r.spanId;
  if (r.eventName) entry.eventName = r.eventName;
  return entry;
}
