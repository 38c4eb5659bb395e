// OTLP/JSON log decoding (an ExportLogsServiceRequest body) into the canonical model.

import type { AnyValue, LogRecord, LogsData } from '../../../protocol/otlp.ts';
import { anyValue, keyValuesField } from './common.ts';
import {
  itemIdField, int32Field, type Json, messageField, type Path, stringField, uint32Field,
  uint64Field,
} from './fields.ts';
import { decodeEnvelopeJson } from './envelope.ts';

export function decodeLogsJson(text: string): LogsData {
  return decodeEnvelopeJson<LogsData>(text, { resource: 'resourceLogs', scope: 'scopeLogs', items: 'logRecords' }, readLogRecord);
}

function readLogRecord(o: Json, path: Path): LogRecord {
  const record: LogRecord = {};
  const time = uint64Field(o, 'timeUnixNano', path);
  if (time !== '0') record.timeUnixNano = time;
  const observed = uint64Field(o, 'observedTimeUnixNano', path);
  if (observed !== '0') record.observedTimeUnixNano = observed;
  const severity = int32Field(o, 'severityNumber', path);
  if (severity !== 0) record.severityNumber = severity;
  const severityText = stringField(o, 'severityText', path);
  if (severityText !== '') record.severityText = severityText;
  const body = messageField(o, 'body', path, readBody);
  if (body) record.body = body;
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) record.attributes = attributes;
  const dropped = uint32Field(o, 'droppedAttributesCount', path);
  if (dropped !== 0) record.droppedAttributesCount = dropped;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) record.flags = flags;
  const traceId = itemIdField(o, 'traceId', path);
  if (traceId !== '') record.traceId = traceId;
  const spanId = itemIdField(o, 'spanId', path);
  if (spanId !== '') record.spanId = spanId;
  const eventName = stringField(o, 'eventName', path);
  if (eventName !== '') record.eventName = eventName;
  return record;
}

function readBody(o: Json, path: Path): AnyValue {
  return anyValue(o, path, 1);
}
