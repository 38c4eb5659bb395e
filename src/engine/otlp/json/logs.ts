// OTLP/JSON log decoding (an ExportLogsServiceRequest body) into the canonical model.

import type { AnyValue, LogRecord, LogsData, ResourceLogs, ScopeLogs } from '../../../protocol/otlp.ts';
import { anyValue, keyValuesField, resource, scope } from './common.ts';
import {
  asObject, itemIdField, int32Field, type Json, mapMessages, messageField, type Path, stringField, uint32Field,
  uint64Field,
} from './fields.ts';
import { parseOtlpJson } from './parse.ts';

export function decodeLogsJson(text: string): LogsData {
  const path: Path = [];
  const root = asObject(parseOtlpJson(text), path);
  const resourceLogs = mapMessages(root, 'resourceLogs', path, readResourceLogs);
  return resourceLogs ? { resourceLogs } : {};
}

function readResourceLogs(o: Json, path: Path): ResourceLogs {
  const out: ResourceLogs = {};
  const res = messageField(o, 'resource', path, resource);
  if (res) out.resource = res;
  const scopeLogs = mapMessages(o, 'scopeLogs', path, readScopeLogs);
  if (scopeLogs) out.scopeLogs = scopeLogs;
  const schemaUrl = stringField(o, 'schemaUrl', path);
  if (schemaUrl !== '') out.schemaUrl = schemaUrl;
  return out;
}

function readScopeLogs(o: Json, path: Path): ScopeLogs {
  const out: ScopeLogs = {};
  const sc = messageField(o, 'scope', path, scope);
  if (sc) out.scope = sc;
  const logRecords = mapMessages(o, 'logRecords', path, readLogRecord);
  if (logRecords) out.logRecords = logRecords;
  const schemaUrl = stringField(o, 'schemaUrl', path);
  if (schemaUrl !== '') out.schemaUrl = schemaUrl;
  return out;
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
