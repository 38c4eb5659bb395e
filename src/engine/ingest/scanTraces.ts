// The protobuf trace ingest fast path: walks an ExportTraceServiceRequest once, checks
// its structure, reads the few fields the store indexes and notes where each span's
// bytes are. Nothing is stored until the whole request has been read, so a request
// that fails to decode leaves no trace of itself.

import { bytesEqual, WireReader, WireType } from '../otlp/protobuf/wire.ts';
import { isCodeFunctionKey, isExceptionEvent, SpanMark } from '../aggregates/spanMarks.ts';
import { attributeHash } from '../store/attributeBloom.ts';
import { checkAnyValue, checkEvent, checkLink, expectWire } from './spanValidation.ts';

/** First bytes of AnyValues holding a string, bool, int, double or bytes. */
const SCALAR_TAGS = new Uint8Array(256);
for (const tag of [0x0a, 0x10, 0x18, 0x21, 0x3a]) SCALAR_TAGS[tag] = 1;

/** One ResourceSpans × ScopeSpans pair: where its resource and scope are, and its spans. */
export interface ScannedGroup {
  resource: [number, number] | undefined;
  resourceSchemaUrl: string;
  scope: [number, number] | undefined;
  scopeSchemaUrl: string;
  /** Index range of this group's spans in the ScannedSpans columns. */
  first: number;
  last: number;
}

/** Columns of the spans read from one request; reused from request to request. */
export class ScannedSpans {
  count = 0;
  start: number[] = [];
  end: number[] = [];
  traceKey: string[] = [];
  name: string[] = [];
  route: string[] = [];
  /** `http.response.status_code` (or the older `http.status_code`) when it is an int, else 0. */
  httpStatus: number[] = [];
  /** kind | statusCode << 3 | hasParent << 5 | SpanMark bits, as the store packs them. */
  bits: number[] = [];
  startLo: number[] = [];
  startHi: number[] = [];
  durationNs: number[] = [];
  /** Why the span was rejected, or '' when it is valid. */
  rejected: string[] = [];
  /** Attribute hashes (store/attributeBloom.ts) of all spans; span i's end at hashEnd[i]. */
  hashes: number[] = [];
  hashEnd: number[] = [];
  groups: ScannedGroup[] = [];

  reset(): void {
    this.count = 0;
    this.groups = [];
    this.hashes.length = 0;
  }
}

const HTTP_ROUTE = Buffer.from('http.route');
const HTTP_STATUS = Buffer.from('http.response.status_code');
const OLD_HTTP_STATUS = Buffer.from('http.status_code');

/** The attributes request metrics need, as found while scanning one span. */
const found = { route: '', httpStatus: 0 };

/** Reads one encoded Span (the OTLP/JSON path encodes spans one by one). */
export function scanOneSpan(buf: Buffer, out: ScannedSpans): void {
  out.reset();
  scanSpan(new WireReader(buf), buf.length, out);
}

export function scanTracesRequest(buf: Buffer, out: ScannedSpans): void {
  out.reset();
  const r = new WireReader(buf);
  while (!r.done) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      expectWire(tag, WireType.LengthDelimited, 'ExportTraceServiceRequest.resource_spans');
      const end = r.delimitedEnd();
      scanResourceSpans(r, end, out);
      r.pos = end;
    } else {
      r.skip(tag & 7);
    }
  }
}

function scanResourceSpans(r: WireReader, end: number, out: ScannedSpans): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  let resource: [number, number] | undefined;
  let schemaUrl = '';
  const firstGroup = out.groups.length;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WireType.LengthDelimited, 'ResourceSpans.resource');
        const e = r.delimitedEnd();
        resource = [r.pos, e];
        r.pos = e;
        break;
      }
      case 2: {
        expectWire(tag, WireType.LengthDelimited, 'ResourceSpans.scope_spans');
        const e = r.delimitedEnd();
        scanScopeSpans(r, e, out);
        r.pos = e;
        break;
      }
      case 3: expectWire(tag, WireType.LengthDelimited, 'ResourceSpans.schema_url'); schemaUrl = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  // The resource may come after its scopes on the wire: fill it in once all is read.
  for (let g = firstGroup; g < out.groups.length; g++) {
    out.groups[g].resource = resource;
    out.groups[g].resourceSchemaUrl = schemaUrl;
  }
  r.end = outer;
}

function scanScopeSpans(r: WireReader, end: number, out: ScannedSpans): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  const group: ScannedGroup = { resource: undefined, resourceSchemaUrl: '', scope: undefined, scopeSchemaUrl: '', first: out.count, last: out.count };
  out.groups.push(group);
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WireType.LengthDelimited, 'ScopeSpans.scope');
        const e = r.delimitedEnd();
        group.scope = [r.pos, e];
        r.pos = e;
        break;
      }
      case 2: {
        expectWire(tag, WireType.LengthDelimited, 'ScopeSpans.spans');
        const e = r.delimitedEnd();
        scanSpan(r, e, out);
        r.pos = e;
        break;
      }
      case 3: expectWire(tag, WireType.LengthDelimited, 'ScopeSpans.schema_url'); group.scopeSchemaUrl = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  group.last = out.count;
  r.end = outer;
}

function scanSpan(r: WireReader, end: number, out: ScannedSpans): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  const buf = r.buf;
  const start = r.pos;
  let traceStart = -1, traceLen = 0, spanLen = 0, parentLen = 0;
  let name = '', kind = 0, status = 0;
  found.route = '';
  found.httpStatus = 0;
  let startLo = 0, startHi = 0, endLo = 0, endHi = 0;
  let marks = 0;
  attributeMarks = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: expectWire(tag, WireType.LengthDelimited, 'Span.trace_id'); traceLen = r.delimitedEnd() - r.pos; traceStart = r.pos; r.pos += traceLen; break;
      case 2: expectWire(tag, WireType.LengthDelimited, 'Span.span_id'); spanLen = r.delimitedEnd() - r.pos; r.pos += spanLen; break;
      case 3: expectWire(tag, WireType.LengthDelimited, 'Span.trace_state'); r.skip(WireType.LengthDelimited); break;
      case 4: expectWire(tag, WireType.LengthDelimited, 'Span.parent_span_id'); parentLen = r.delimitedEnd() - r.pos; r.pos += parentLen; break;
      case 5: expectWire(tag, WireType.LengthDelimited, 'Span.name'); name = r.string(); break;
      case 6: expectWire(tag, WireType.Varint, 'Span.kind'); kind = r.uint32(); break;
      case 7: expectWire(tag, WireType.Fixed64, 'Span.start_time_unix_nano'); startLo = buf.readUInt32LE(r.pos); startHi = buf.readUInt32LE(r.pos + 4); r.skip(WireType.Fixed64); break;
      case 8: expectWire(tag, WireType.Fixed64, 'Span.end_time_unix_nano'); endLo = buf.readUInt32LE(r.pos); endHi = buf.readUInt32LE(r.pos + 4); r.skip(WireType.Fixed64); break;
      case 9: {
        expectWire(tag, WireType.LengthDelimited, 'Span.attributes');
        const e = r.delimitedEnd();
        scanAttribute(r, e, out.hashes);
        r.pos = e;
        break;
      }
      case 10: case 12: case 14: expectWire(tag, WireType.Varint, 'Span dropped count'); r.skip(WireType.Varint); break;
      case 11: {
        expectWire(tag, WireType.LengthDelimited, 'Span.events');
        const e = r.delimitedEnd();
        const from = r.pos;
        checkEvent(r, e);
        if (!(marks & SpanMark.Exception) && isExceptionEvent(buf, from, e)) marks |= SpanMark.Exception;
        r.pos = e;
        break;
      }
      case 13: { expectWire(tag, WireType.LengthDelimited, 'Span.links'); const e = r.delimitedEnd(); checkLink(r, e); r.pos = e; break; }
      case 15: { expectWire(tag, WireType.LengthDelimited, 'Span.status'); const e = r.delimitedEnd(); status = scanStatus(r, e); r.pos = e; break; }
      case 16: expectWire(tag, WireType.Fixed32, 'Span.flags'); r.skip(WireType.Fixed32); break;
      default: r.skip(tag & 7);
    }
  }

  const i = out.count++;
  out.hashEnd[i] = out.hashes.length;
  out.start[i] = start;
  out.end[i] = end;
  out.rejected[i] = idProblem(buf, traceStart, traceLen, spanLen, parentLen);
  out.traceKey[i] = traceLen === 16 ? buf.latin1Slice(traceStart, traceStart + 16) : '';
  out.name[i] = name;
  out.route[i] = found.route;
  out.httpStatus[i] = found.httpStatus;
  out.bits[i] = (kind & 7) | ((status & 3) << 3) | (parentLen > 0 ? 0x20 : 0) | marks | attributeMarks;
  out.startLo[i] = startLo;
  out.startHi[i] = startHi;
  const duration = (endHi - startHi) * 4294967296 + (endLo - startLo);
  out.durationNs[i] = duration > 0 ? duration : 0;
  r.end = outer;
}

function idProblem(buf: Buffer, traceStart: number, traceLen: number, spanLen: number, parentLen: number): string {
  if (traceLen !== 16) return `trace_id must be 16 bytes, got ${traceLen}`;
  if (spanLen !== 8) return `span_id must be 8 bytes, got ${spanLen}`;
  if (parentLen !== 0 && parentLen !== 8) return `parent_span_id must be empty or 8 bytes, got ${parentLen}`;
  for (let i = traceStart; i < traceStart + 16; i++) if (buf[i] !== 0) return '';
  return 'trace_id must not be all zeros';
}

/** SpanMark.CodeFunction when the span's attributes name its function; set by scanAttribute. */
let attributeMarks = 0;

/**
 * Checks one span attribute and adds its hash to `hashes` when its value is a scalar;
 * notes a string `http.route` and an int HTTP status code in `found`.
 */
function scanAttribute(r: WireReader, end: number, hashes: number[]): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  let isRoute = false, isStatus = false;
  let keyStart = -1, keyEnd = -1, valueStart = -1, valueEnd = -1;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WireType.LengthDelimited, 'KeyValue.key');
        keyEnd = r.delimitedEnd();
        keyStart = r.pos;
        isRoute = bytesEqual(r.buf, keyStart, keyEnd, HTTP_ROUTE);
        isStatus = bytesEqual(r.buf, keyStart, keyEnd, HTTP_STATUS) || bytesEqual(r.buf, keyStart, keyEnd, OLD_HTTP_STATUS);
        if (!isRoute && !isStatus && isCodeFunctionKey(r.buf, keyStart, keyEnd)) attributeMarks = SpanMark.CodeFunction;
        r.pos = keyEnd;
        break;
      }
      case 2:
        expectWire(tag, WireType.LengthDelimited, 'KeyValue.value');
        valueEnd = r.delimitedEnd();
        valueStart = r.pos;
        checkAnyValue(r, valueEnd, 1);
        r.pos = valueEnd;
        break;
      case 3: expectWire(tag, WireType.Varint, 'KeyValue.key_strindex'); r.skip(WireType.Varint); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
  if (keyStart >= 0 && valueStart < valueEnd && SCALAR_TAGS[r.buf[valueStart]]) {
    hashes.push(attributeHash(r.buf, keyStart, keyEnd, valueStart, valueEnd));
  }
  if (valueStart < 0 || valueStart === valueEnd) return;
  // AnyValue { string_value = 1 }: a one-byte tag 0x0a, then the string.
  if (isRoute && r.buf[valueStart] === 0x0a) found.route = new WireReader(r.buf, valueStart + 1, valueEnd).string();
  // AnyValue { int_value = 3 }: tag 0x18, then a varint.
  if (isStatus && r.buf[valueStart] === 0x18) found.httpStatus = new WireReader(r.buf, valueStart + 1, valueEnd).uint32();
}

function scanStatus(r: WireReader, end: number): number {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  let code = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 2: expectWire(tag, WireType.LengthDelimited, 'Status.message'); r.skip(WireType.LengthDelimited); break;
      case 3: expectWire(tag, WireType.Varint, 'Status.code'); code = r.uint32(); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
  return code;
}
