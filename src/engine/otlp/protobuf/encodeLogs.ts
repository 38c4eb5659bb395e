// Encodes a model LogRecord back to protobuf bytes: the inverse of decodeLogRecord. The
// store keeps records as protobuf bytes, so records that arrive as OTLP/JSON pass here.

import type { LogRecord } from '../../../protocol/otlp.ts';
import { writeAnyValue, writeKeyValues } from './encodeTraces.ts';
import { WireType } from './wire.ts';
import { ProtoWriter } from './writer.ts';

const scratch = new ProtoWriter(4096);

export function encodeLogRecord(r: LogRecord): Buffer {
  const w = scratch;
  w.reset();
  if (r.timeUnixNano) { w.tag(1, WireType.Fixed64); w.fixed64Decimal(r.timeUnixNano); }
  if (r.severityNumber) { w.tag(2, WireType.Varint); w.int32(r.severityNumber); }
  if (r.severityText) { w.tag(3, WireType.LengthDelimited); w.string(r.severityText); }
  if (r.body) {
    w.tag(5, WireType.LengthDelimited);
    const mark = w.begin();
    writeAnyValue(w, r.body);
    w.end(mark);
  }
  if (r.attributes) writeKeyValues(w, 6, r.attributes);
  if (r.droppedAttributesCount) { w.tag(7, WireType.Varint); w.uint32(r.droppedAttributesCount); }
  if (r.flags) { w.tag(8, WireType.Fixed32); w.fixed32(r.flags); }
  if (r.traceId) { w.tag(9, WireType.LengthDelimited); w.hexBytes(r.traceId); }
  if (r.spanId) { w.tag(10, WireType.LengthDelimited); w.hexBytes(r.spanId); }
  if (r.observedTimeUnixNano) { w.tag(11, WireType.Fixed64); w.fixed64Decimal(r.observedTimeUnixNano); }
  if (r.eventName) { w.tag(12, WireType.LengthDelimited); w.string(r.eventName); }
  return w.finish();
}
