// OTLP/JSON trace decoding (an ExportTraceServiceRequest body) into the canonical model.

import type { Span, SpanEvent, SpanLink, Status, TracesData } from '../../../protocol/otlp.ts';
import { keyValuesField } from './common.ts';
import {
  hexIdField, int32Field, itemIdField, type Json, mapMessages, messageField, type Path, stringField, uint32Field,
  uint64Field,
} from './fields.ts';
import { decodeEnvelopeJson } from './envelope.ts';

export function decodeTracesJson(text: string): TracesData {
  return decodeEnvelopeJson<TracesData>(text, { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' }, readSpan);
}

/** Normalizes one OTLP/JSON span object; its ids are checked by ingest, span by span. */
export function readSpan(o: Json, path: Path): Span {
  const span: Span = {};
  const traceId = itemIdField(o, 'traceId', path);
  if (traceId !== '') span.traceId = traceId;
  const spanId = itemIdField(o, 'spanId', path);
  if (spanId !== '') span.spanId = spanId;
  const traceState = stringField(o, 'traceState', path);
  if (traceState !== '') span.traceState = traceState;
  const parentSpanId = itemIdField(o, 'parentSpanId', path);
  if (parentSpanId !== '') span.parentSpanId = parentSpanId;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) span.flags = flags;
  const name = stringField(o, 'name', path);
  if (name !== '') span.name = name;
  const kind = int32Field(o, 'kind', path);
  if (kind !== 0) span.kind = kind;
  const start = uint64Field(o, 'startTimeUnixNano', path);
  if (start !== '0') span.startTimeUnixNano = start;
  const end = uint64Field(o, 'endTimeUnixNano', path);
  if (end !== '0') span.endTimeUnixNano = end;
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) span.attributes = attributes;
  const dropped = uint32Field(o, 'droppedAttributesCount', path);
  if (dropped !== 0) span.droppedAttributesCount = dropped;
  const events = mapMessages(o, 'events', path, readEvent);
  if (events) span.events = events;
  const droppedEvents = uint32Field(o, 'droppedEventsCount', path);
  if (droppedEvents !== 0) span.droppedEventsCount = droppedEvents;
  const links = mapMessages(o, 'links', path, readLink);
  if (links) span.links = links;
  const droppedLinks = uint32Field(o, 'droppedLinksCount', path);
  if (droppedLinks !== 0) span.droppedLinksCount = droppedLinks;
  const status = messageField(o, 'status', path, readStatus);
  if (status) span.status = status;
  return span;
}

function readEvent(o: Json, path: Path): SpanEvent {
  const event: SpanEvent = {};
  const time = uint64Field(o, 'timeUnixNano', path);
  if (time !== '0') event.timeUnixNano = time;
  const name = stringField(o, 'name', path);
  if (name !== '') event.name = name;
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) event.attributes = attributes;
  const dropped = uint32Field(o, 'droppedAttributesCount', path);
  if (dropped !== 0) event.droppedAttributesCount = dropped;
  return event;
}

function readLink(o: Json, path: Path): SpanLink {
  const link: SpanLink = {};
  const traceId = hexIdField(o, 'traceId', path);
  if (traceId !== '') link.traceId = traceId;
  const spanId = hexIdField(o, 'spanId', path);
  if (spanId !== '') link.spanId = spanId;
  const traceState = stringField(o, 'traceState', path);
  if (traceState !== '') link.traceState = traceState;
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) link.attributes = attributes;
  const dropped = uint32Field(o, 'droppedAttributesCount', path);
  if (dropped !== 0) link.droppedAttributesCount = dropped;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) link.flags = flags;
  return link;
}

function readStatus(o: Json, path: Path): Status {
  const status: Status = {};
  const message = stringField(o, 'message', path);
  if (message !== '') status.message = message;
  const code = int32Field(o, 'code', path);
  if (code !== 0) status.code = code;
  return status;
}
