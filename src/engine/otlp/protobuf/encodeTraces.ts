// Encodes a model Span back to protobuf bytes: the inverse of decodeSpan. The store
// keeps spans as protobuf bytes, so spans that arrive as OTLP/JSON pass through here.

import type { AnyValue, KeyValue, Span, SpanEvent, SpanLink, Status } from '../../../protocol/otlp.ts';
import { WireType } from './wire.ts';
import { ProtoWriter } from './writer.ts';

// Encoding is synchronous, so one scratch buffer serves every call; `finish` copies
// out exactly the bytes of each span.
const scratch = new ProtoWriter(4096);

export function encodeSpan(span: Span): Buffer {
  const w = scratch;
  w.reset();
  writeSpan(w, span);
  return w.finish();
}

/** Writes the fields of a Span (without tag or length, as for a top-level message). */
export function writeSpan(w: ProtoWriter, s: Span): void {
  if (s.traceId) { w.tag(1, WireType.LengthDelimited); w.hexBytes(s.traceId); }
  if (s.spanId) { w.tag(2, WireType.LengthDelimited); w.hexBytes(s.spanId); }
  if (s.traceState) { w.tag(3, WireType.LengthDelimited); w.string(s.traceState); }
  if (s.parentSpanId) { w.tag(4, WireType.LengthDelimited); w.hexBytes(s.parentSpanId); }
  if (s.name) { w.tag(5, WireType.LengthDelimited); w.string(s.name); }
  if (s.kind) { w.tag(6, WireType.Varint); w.int32(s.kind); }
  if (s.startTimeUnixNano) { w.tag(7, WireType.Fixed64); w.fixed64Decimal(s.startTimeUnixNano); }
  if (s.endTimeUnixNano) { w.tag(8, WireType.Fixed64); w.fixed64Decimal(s.endTimeUnixNano); }
  if (s.attributes) writeKeyValues(w, 9, s.attributes);
  if (s.droppedAttributesCount) { w.tag(10, WireType.Varint); w.uint32(s.droppedAttributesCount); }
  if (s.events) {
    for (const event of s.events) {
      w.tag(11, WireType.LengthDelimited);
      const mark = w.begin();
      writeEvent(w, event);
      w.end(mark);
    }
  }
  if (s.droppedEventsCount) { w.tag(12, WireType.Varint); w.uint32(s.droppedEventsCount); }
  if (s.links) {
    for (const link of s.links) {
      w.tag(13, WireType.LengthDelimited);
      const mark = w.begin();
      writeLink(w, link);
      w.end(mark);
    }
  }
  if (s.droppedLinksCount) { w.tag(14, WireType.Varint); w.uint32(s.droppedLinksCount); }
  if (s.status) {
    w.tag(15, WireType.LengthDelimited);
    const mark = w.begin();
    writeStatus(w, s.status);
    w.end(mark);
  }
  if (s.flags) { w.tag(16, WireType.Fixed32); w.fixed32(s.flags); }
}

function writeEvent(w: ProtoWriter, e: SpanEvent): void {
  if (e.timeUnixNano) { w.tag(1, WireType.Fixed64); w.fixed64Decimal(e.timeUnixNano); }
  if (e.name) { w.tag(2, WireType.LengthDelimited); w.string(e.name); }
  if (e.attributes) writeKeyValues(w, 3, e.attributes);
  if (e.droppedAttributesCount) { w.tag(4, WireType.Varint); w.uint32(e.droppedAttributesCount); }
}

function writeLink(w: ProtoWriter, l: SpanLink): void {
  if (l.traceId) { w.tag(1, WireType.LengthDelimited); w.hexBytes(l.traceId); }
  if (l.spanId) { w.tag(2, WireType.LengthDelimited); w.hexBytes(l.spanId); }
  if (l.traceState) { w.tag(3, WireType.LengthDelimited); w.string(l.traceState); }
  if (l.attributes) writeKeyValues(w, 4, l.attributes);
  if (l.droppedAttributesCount) { w.tag(5, WireType.Varint); w.uint32(l.droppedAttributesCount); }
  if (l.flags) { w.tag(6, WireType.Fixed32); w.fixed32(l.flags); }
}

function writeStatus(w: ProtoWriter, s: Status): void {
  if (s.message) { w.tag(2, WireType.LengthDelimited); w.string(s.message); }
  if (s.code) { w.tag(3, WireType.Varint); w.int32(s.code); }
}

/** Writes each KeyValue as a repeated field `field`. */
export function writeKeyValues(w: ProtoWriter, field: number, list: readonly KeyValue[]): void {
  for (const kv of list) {
    w.tag(field, WireType.LengthDelimited);
    const mark = w.begin();
    if (kv.key) { w.tag(1, WireType.LengthDelimited); w.string(kv.key); }
    if (kv.value) {
      w.tag(2, WireType.LengthDelimited);
      const m = w.begin();
      writeAnyValue(w, kv.value);
      w.end(m);
    }
    w.end(mark);
  }
}

/** Writes the fields of an AnyValue. Oneof members are written even when default-valued. */
export function writeAnyValue(w: ProtoWriter, value: AnyValue): void {
  const v = value as {
    stringValue?: string; boolValue?: boolean; intValue?: string; doubleValue?: number; bytesValue?: string;
    arrayValue?: { values?: AnyValue[] }; kvlistValue?: { values?: KeyValue[] };
  };
  if (v.stringValue !== undefined) {
    w.tag(1, WireType.LengthDelimited);
    w.string(v.stringValue);
  } else if (v.intValue !== undefined) {
    w.tag(3, WireType.Varint);
    w.varint64Decimal(v.intValue);
  } else if (v.doubleValue !== undefined) {
    w.tag(4, WireType.Fixed64);
    w.double(v.doubleValue);
  } else if (v.boolValue !== undefined) {
    w.tag(2, WireType.Varint);
    w.uint32(v.boolValue ? 1 : 0);
  } else if (v.arrayValue !== undefined) {
    w.tag(5, WireType.LengthDelimited);
    const mark = w.begin();
    for (const item of v.arrayValue.values ?? []) {
      w.tag(1, WireType.LengthDelimited);
      const m = w.begin();
      writeAnyValue(w, item);
      w.end(m);
    }
    w.end(mark);
  } else if (v.kvlistValue !== undefined) {
    w.tag(6, WireType.LengthDelimited);
    const mark = w.begin();
    writeKeyValues(w, 1, v.kvlistValue.values ?? []);
    w.end(mark);
  } else if (v.bytesValue !== undefined) {
    w.tag(7, WireType.LengthDelimited);
    w.base64Bytes(v.bytesValue);
  }
}
