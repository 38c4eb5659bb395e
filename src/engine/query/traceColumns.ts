// The compact trace (`GET /api/traces/{id}`, `accept: application/vnd.loupe.trace`) from
// the store, one span at a time (`GET /api/traces/{id}/spans/{spanId}`), and the spans of
// a trace that contain a text (`GET /api/traces/{id}/search?q=`): what the waterfall of a
// very large trace needs without the whole trace as OTLP/JSON.

import { SpanFlag } from '../../protocol/compactTrace.ts';
import type { KeyValue, Span, TracesData } from '../../protocol/otlp.ts';
import { valueText } from '../../shared/plainValue.ts';
import { CompactTraceBuilder } from '../../shared/trace/compactTraceBuilder.ts';
import { isExceptionEvent } from '../aggregates/spanMarks.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import { WireType } from '../otlp/protobuf/wire.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { QueryError } from './params.ts';

/** Spans listed by one trace search: enough to mark every match of any real query. */
const MAX_MATCHES = 1_000_000;

export function compactTraceBytes(store: TraceStore, trace: TraceEntry): Uint8Array {
  const builder = new CompactTraceBuilder(trace.traceId, trace.spans.length);
  // Store ids to string-table indexes (-1 until seen), for the few services and names a trace uses.
  const services = new Int32Array(store.services.values.length).fill(-1);
  const names = new Int32Array(store.names.values.length).fill(-1);
  const ids = trace.spans;
  let chunk: SpanChunk | undefined;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    // A trace's spans mostly sit next to each other: search the chunks only when the run ends.
    if (!chunk || id < chunk.firstId || id >= chunk.firstId + chunk.count) chunk = store.locate(id).chunk;
    const index = id - chunk.firstId;
    const bytes = chunk.bytes;
    spanIdsAndFlags(bytes, chunk.spanStart(index), chunk.ends[index]);
    const serviceId = store.groups[chunk.group[index]].serviceId;
    let service = services[serviceId];
    if (service < 0) service = services[serviceId] = builder.string(store.services.values[serviceId]);
    const nameId = chunk.nameId[index];
    let name = names[nameId];
    if (name < 0) name = names[nameId] = builder.string(store.names.values[nameId]);
    const bits = chunk.bits[index];
    builder.add(bytes, found.spanAt, bytes, found.parentAt, chunk.startLo[index], chunk.startHi[index], chunk.durationNs[index],
      service, name, bits & SpanBits.KindMask, (bits & SpanBits.StatusMask) >> SpanBits.StatusShift, found.flags);
  }
  return builder.encode();
}

/** One span of a stored trace as OTLP/JSON, under its resource and scope. */
export function spanAsOtlp(store: TraceStore, trace: TraceEntry, spanIdHex: string): TracesData | undefined {
  const wanted = Buffer.from(spanKeyFromHex(spanIdHex), 'latin1');
  for (const id of trace.spans) {
    const { chunk, index } = store.locate(id);
    const start = chunk.spanStart(index);
    const at = spanIdsAndFlags(chunk.bytes, start, chunk.ends[index]).spanAt;
    if (at < 0 || chunk.bytes.compare(wanted, 0, 8, at, at + 8) !== 0) continue;
    const g = store.groups[chunk.group[index]];
    const span = decodeSpan(chunk.bytes, start, chunk.ends[index]);
    return {
      resourceSpans: [{
        resource: g.resource, ...(g.resourceSchemaUrl ? { schemaUrl: g.resourceSchemaUrl } : {}),
        scopeSpans: [{ scope: g.scope, ...(g.scopeSchemaUrl ? { schemaUrl: g.scopeSchemaUrl } : {}), spans: [span] }],
      }],
    };
  }
  return undefined;
}

/**
 * Span ids of the trace's spans whose status message, attribute keys or values, event
 * names or event attributes contain `text` (any case). Names and services the page
 * searches itself. Only spans whose bytes contain the text's longest ASCII run (case
 * folded) are decoded.
 */
export function searchTraceSpans(store: TraceStore, trace: TraceEntry, text: string): { spanIds: string[] } {
  const q = text.trim().toLowerCase();
  if (!q) throw new QueryError('q', 'give the text to look for in the trace’s spans');
  // Bytes fold ASCII case only: look for the longest ASCII run of the text, then check
  // the decoded span, whose text is folded in full.
  const runs = q.split(/[^\x00-\x7f]+/).sort((x, y) => y.length - x.length);
  const needle = Buffer.from(runs[0] ?? '');
  const spanIds: string[] = [];
  for (const id of trace.spans) {
    const { chunk, index } = store.locate(id);
    const start = chunk.spanStart(index);
    const end = chunk.ends[index];
    if (needle.length && !containsFolded(chunk.bytes, start, end, needle)) continue;
    const span = decodeSpan(chunk.bytes, start, end);
    if (spanContains(span, q)) spanIds.push(span.spanId ?? '');
    if (spanIds.length >= MAX_MATCHES) break;
  }
  return { spanIds };
}

export function spanKeyFromHex(hex: string): string {
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) throw new QueryError('span id', `expected 16 hex digits, got "${hex.slice(0, 40)}"`);
  return Buffer.from(hex, 'hex').toString('latin1');
}

function spanContains(span: Span, q: string): boolean {
  const has = (s: string | undefined) => !!s && s.toLowerCase().includes(q);
  const attrs = (kvs: KeyValue[] | undefined) => !!kvs && kvs.some((kv) => has(kv.key) || has(valueText(kv.value)));
  return has(span.status?.message) || attrs(span.attributes) || (span.events ?? []).some((e) => has(e.name) || attrs(e.attributes));
}

/** Whether `hay[start, end)` contains `needle` (lowercase), ASCII letters in any case. */
function containsFolded(hay: Buffer, start: number, end: number, needle: Buffer): boolean {
  const first = needle[0];
  const last = end - needle.length;
  outer: for (let i = start; i <= last; i++) {
    if ((hay[i] | (isUpper(hay[i]) ? 0x20 : 0)) !== first) continue;
    for (let k = 1; k < needle.length; k++) {
      const b = hay[i + k];
      if ((b | (isUpper(b) ? 0x20 : 0)) !== needle[k]) continue outer;
    }
    return true;
  }
  return false;
}

function isUpper(b: number): boolean {
  return b >= 0x41 && b <= 0x5a;
}

/** Where the span's id and parent id are (-1 when absent), and its SpanFlag bits. */
const found = { spanAt: -1, parentAt: -1, flags: 0 };

/**
 * Fills `found` from a shallow read of the span's fields. It runs once per span of a
 * million-span trace, so the varints are read inline, with no reader object. The bytes
 * were checked at ingest; a field that would run past the span ends the read.
 */
function spanIdsAndFlags(buf: Buffer, start: number, end: number): typeof found {
  found.spanAt = -1;
  found.parentAt = -1;
  found.flags = 0;
  let pos = start;
  while (pos < end) {
    // Tags and lengths are almost always one or two bytes.
    let tag = buf[pos++];
    if (tag >= 0x80) { const v = varintRest(buf, pos, end, tag); tag = v.value; pos = v.pos; }
    const type = tag & 7;
    if (type === WireType.Varint) { while (pos < end && buf[pos++] >= 0x80); continue; }
    if (type === WireType.Fixed64) { pos += 8; continue; }
    if (type === WireType.Fixed32) { pos += 4; continue; }
    if (type !== WireType.LengthDelimited || pos >= end) break;
    let length = buf[pos++];
    if (length >= 0x80) { const v = varintRest(buf, pos, end, length); length = v.value; pos = v.pos; }
    const e = pos + length;
    if (e > end) break;
    const field = tag >>> 3;
    if (field === 2 && length === 8) found.spanAt = pos;
    else if (field === 4 && length === 8) { found.parentAt = pos; found.flags |= SpanFlag.HasParentId; }
    else if (field === 11) { found.flags |= SpanFlag.HasEvents; if (isExceptionEvent(buf, pos, e)) found.flags |= SpanFlag.HasException; }
    else if (field === 13) found.flags |= SpanFlag.HasLinks;
    pos = e;
  }
  return found;
}

const varint = { value: 0, pos: 0 };

/** The rest of a varint whose first byte (`first`, ≥ 0x80) was read; values past 32 bits are cut. */
function varintRest(buf: Buffer, pos: number, end: number, first: number): typeof varint {
  let value = first & 0x7f;
  for (let shift = 7; pos < end; shift += 7) {
    const b = buf[pos++];
    if (shift < 32) value |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  varint.value = value >>> 0;
  varint.pos = pos;
  return varint;
}
