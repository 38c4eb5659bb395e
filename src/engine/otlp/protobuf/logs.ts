// OTLP log decoding from protobuf (opentelemetry/proto/logs/v1). An
// ExportLogsServiceRequest has the same layout as LogsData.

import type { AnyValue, KeyValue, LogRecord, LogsData } from '../../../protocol/otlp.ts';
import { readAnyValue, readKeyValue } from './common.ts';
import { readFixed64Decimal } from './decimal.ts';
import { decodeEnvelope, envelope } from './envelope.ts';
import { fieldNames, skipField } from './message.ts';
import { WireReader } from './wire.ts';

// Cases are whole tags: field number << 3 | wire type.

const LOGS = envelope('LogsData', 'ResourceLogs', 'ScopeLogs', 'logRecords', 'log_records');
const LOG_RECORD = fieldNames('LogRecord', {
  1: 'time_unix_nano', 2: 'severity_number', 3: 'severity_text', 5: 'body', 6: 'attributes',
  7: 'dropped_attributes_count', 8: 'flags', 9: 'trace_id', 10: 'span_id', 11: 'observed_time_unix_nano',
  12: 'event_name',
});

export function decodeLogsRequest(buf: Buffer): LogsData {
  return decodeEnvelope<LogsData>(buf, LOGS, logRecordBody);
}

/** Decodes one LogRecord message from `buf[start, end)`; ids are not length-checked here. */
export function decodeLogRecord(buf: Buffer, start: number, end: number): LogRecord {
  return logRecordBody(new WireReader(buf, start, end));
}

function logRecordBody(r: WireReader): LogRecord {
  let time = '0', observed = '0', severityText = '', traceId = '', spanId = '', eventName = '';
  let severity = 0, dropped = 0, flags = 0;
  let body: AnyValue | undefined;
  let attributes: KeyValue[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: time = readFixed64Decimal(r); break;
      case 16: severity = r.int32(); break;
      case 26: severityText = r.string(); break;
      case 42: body = readAnyValue(r, 1); break;
      case 50: (attributes ??= []).push(readKeyValue(r)); break;
      case 56: dropped = r.uint32(); break;
      case 69: flags = r.fixed32(); break;
      case 74: traceId = r.hex(); break;
      case 82: spanId = r.hex(); break;
      case 89: observed = readFixed64Decimal(r); break;
      case 98: eventName = r.string(); break;
      default: skipField(r, tag, LOG_RECORD);
    }
  }
  const record: LogRecord = {};
  if (time !== '0') record.timeUnixNano = time;
  if (observed !== '0') record.observedTimeUnixNano = observed;
  if (severity !== 0) record.severityNumber = severity;
  if (severityText !== '') record.severityText = severityText;
  if (body) record.body = body;
  if (attributes) record.attributes = attributes;
  if (dropped !== 0) record.droppedAttributesCount = dropped;
  if (flags !== 0) record.flags = flags;
  if (traceId !== '') record.traceId = traceId;
  if (spanId !== '') record.spanId = spanId;
  if (eventName !== '') record.eventName = eventName;
  return record;
}
