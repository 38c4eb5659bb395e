// The protobuf trace ingest fast path: walks an ExportTraceServiceRequest once, checks
// its structure, reads the few fields the store indexes and notes where each span's
// bytes are. Nothing is stored until the whole request has been read, so a request
// that fails to decode leaves no trace of itself.

import { bytesEqual, WireReader, WireType } from '../otlp/protobuf/wire.ts';
import { isExceptionEvent, SpanMark } from '../aggregates/spanMarks.ts';
import { checkEvent, checkLink, expectWire } from './spanValidation.ts';
import { envelopeNames, keyValue, ScannedItems, scanEnvelope, scanKeyValue } from './scanEnvelope.ts';
import { clearCodeRanges, newCodeRanges, noteCodeAttribute, type CodeRanges } from '../aggregates/codeAttributes.ts';

export type { ScannedGroup } from './scanEnvelope.ts';

/** Columns of the spans read from one request; reused from request to request. */
export class ScannedSpans extends ScannedItems {
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
  /** Where the code attributes' values are in each span, from its first byte (codeAttributes.ts). */
  code: CodeRanges[] = [];
  /** The last trace key made, and where its 16 bytes are in the request being scanned (-1: none). */
  prevKey = '';
  prevKeyStart = -1;

  override reset(): void {
    super.reset();
    this.prevKeyStart = -1;
  }
}

const HTTP_ROUTE = Buffer.from('http.route');
const HTTP_STATUS = Buffer.from('http.response.status_code');
const OLD_HTTP_STATUS = Buffer.from('http.status_code');
const NAMES = envelopeNames('ExportTraceServiceRequest', 'ResourceSpans', 'scope_spans', 'ScopeSpans', 'spans');

/** The attributes request metrics need, as found while scanning one span. */
const found = { route: '', httpStatus: 0 };

/** Reads one encoded Span (the OTLP/JSON path encodes spans one by one). */
export function scanOneSpan(buf: Buffer, out: ScannedSpans): void {
  out.reset();
  scanSpan(new WireReader(buf), buf.length, out);
}

export function scanTracesRequest(buf: Buffer, out: ScannedSpans): void {
  scanEnvelope(buf, out, NAMES, scanSpan);
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
  spanStart = start;
  clearCodeRanges(code);
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
        scanAttribute(r, e, out);
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
  out.hashEnd[i] = out.hashes.count;
  out.start[i] = start;
  out.end[i] = end;
  out.rejected[i] = idProblem(buf, traceStart, traceLen, spanLen, parentLen);
  out.traceKey[i] = traceLen === 16 ? traceKeyAt(buf, traceStart, out) : '';
  out.name[i] = name;
  out.route[i] = found.route;
  out.httpStatus[i] = found.httpStatus;
  out.bits[i] = (kind & 7) | ((status & 3) << 3) | (parentLen > 0 ? 0x20 : 0) | marks | attributeMarks;
  copyCodeRanges(code, out.code[i] ??= newCodeRanges());
  out.startLo[i] = startLo;
  out.startHi[i] = startHi;
  const duration = (endHi - startHi) * 4294967296 + (endLo - startLo);
  out.durationNs[i] = duration > 0 ? duration : 0;
  r.end = outer;
}

/**
 * The trace key of the id at `buf[start, start + 16)`. A trace's spans usually come one
 * after another in a request: the previous span's key is reused when the bytes match,
 * saving a string per span.
 */
function traceKeyAt(buf: Buffer, start: number, out: ScannedSpans): string {
  const prev = out.prevKeyStart;
  if (prev >= 0) {
    let k = 0;
    while (k < 16 && buf[prev + k] === buf[start + k]) k++;
    if (k === 16) return out.prevKey;
  }
  out.prevKeyStart = start;
  return (out.prevKey = buf.latin1Slice(start, start + 16));
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
/** The span being scanned: where it starts, and its code attributes as scanAttribute notes them. */
let spanStart = 0;
const code = newCodeRanges();

function copyCodeRanges(from: CodeRanges, to: CodeRanges): void {
  to.functionStart = from.functionStart;
  to.functionEnd = from.functionEnd;
  to.fileStart = from.fileStart;
  to.fileEnd = from.fileEnd;
  to.namespaceStart = from.namespaceStart;
  to.namespaceEnd = from.namespaceEnd;
  to.line = from.line;
  to.ranks = from.ranks;
}

/**
 * Checks one span attribute and hashes it (scanKeyValue); notes a string `http.route`
 * and an int HTTP status code in `found`, a code function in `attributeMarks`, and the
 * code attributes' places in `code`.
 */
function scanAttribute(r: WireReader, end: number, out: ScannedSpans): void {
  scanKeyValue(r, end, out.hashes);
  const { keyStart, keyEnd, valueStart, valueEnd } = keyValue;
  if (keyStart < 0) return;
  const buf = r.buf;
  const hasValue = valueStart >= 0 && valueStart < valueEnd;
  // AnyValue { string_value = 1 }: a one-byte tag 0x0a, then the string.
  if (bytesEqual(buf, keyStart, keyEnd, HTTP_ROUTE)) {
    if (hasValue && buf[valueStart] === 0x0a) found.route = new WireReader(buf, valueStart + 1, valueEnd).string();
  } else if (bytesEqual(buf, keyStart, keyEnd, HTTP_STATUS) || bytesEqual(buf, keyStart, keyEnd, OLD_HTTP_STATUS)) {
    // AnyValue { int_value = 3 }: tag 0x18, then a varint.
    if (hasValue && buf[valueStart] === 0x18) found.httpStatus = new WireReader(buf, valueStart + 1, valueEnd).uint32();
  } else if (noteCodeAttribute(buf, spanStart, keyStart, keyEnd, valueStart, valueEnd, code)) attributeMarks = SpanMark.CodeFunction;
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
