// OTLP trace decoding from protobuf (opentelemetry/proto/trace/v1). An
// ExportTraceServiceRequest has the same layout as TracesData, so one decoder serves both.

import type {
  KeyValue, Span, SpanEvent, SpanLink, Status, TracesData,
} from '../../../protocol/otlp.ts';
import { readKeyValue } from './common.ts';
import { readFixed64Decimal } from './decimal.ts';
import { decodeEnvelope, envelope } from './envelope.ts';
import { fieldNames, nested, skipField } from './message.ts';
import { WireReader } from './wire.ts';

// Cases are whole tags: field number << 3 | wire type.

const TRACES = envelope('TracesData', 'ResourceSpans', 'ScopeSpans', 'spans', 'spans');
const SPAN = fieldNames('Span', {
  1: 'trace_id', 2: 'span_id', 3: 'trace_state', 4: 'parent_span_id', 5: 'name', 6: 'kind',
  7: 'start_time_unix_nano', 8: 'end_time_unix_nano', 9: 'attributes', 10: 'dropped_attributes_count',
  11: 'events', 12: 'dropped_events_count', 13: 'links', 14: 'dropped_links_count', 15: 'status', 16: 'flags',
});
const EVENT = fieldNames('Span.Event', { 1: 'time_unix_nano', 2: 'name', 3: 'attributes', 4: 'dropped_attributes_count' });
const LINK = fieldNames('Span.Link', {
  1: 'trace_id', 2: 'span_id', 3: 'trace_state', 4: 'attributes', 5: 'dropped_attributes_count', 6: 'flags',
});
const STATUS = fieldNames('Status', { 2: 'message', 3: 'code' });

export function decodeTracesRequest(buf: Buffer): TracesData {
  return decodeEnvelope<TracesData>(buf, TRACES, spanBody);
}

/** Decodes one Span message from `buf[start, end)`; ids are not length-checked here. */
export function decodeSpan(buf: Buffer, start: number, end: number): Span {
  return spanBody(new WireReader(buf, start, end));
}

function spanBody(r: WireReader): Span {
  let traceId = '', spanId = '', traceState = '', parentSpanId = '', name = '';
  let flags = 0, kind = 0, dropped = 0, droppedEvents = 0, droppedLinks = 0;
  let start = '0', end = '0';
  let attributes: KeyValue[] | undefined;
  let events: SpanEvent[] | undefined;
  let links: SpanLink[] | undefined;
  let status: Status | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: traceId = r.hex(); break;
      case 18: spanId = r.hex(); break;
      case 26: traceState = r.string(); break;
      case 34: parentSpanId = r.hex(); break;
      case 42: name = r.string(); break;
      case 48: kind = r.int32(); break;
      case 57: start = readFixed64Decimal(r); break;
      case 65: end = readFixed64Decimal(r); break;
      case 74: (attributes ??= []).push(readKeyValue(r)); break;
      case 80: dropped = r.uint32(); break;
      case 90: (events ??= []).push(nested(r, eventBody)); break;
      case 96: droppedEvents = r.uint32(); break;
      case 106: (links ??= []).push(nested(r, linkBody)); break;
      case 112: droppedLinks = r.uint32(); break;
      case 122: status = nested(r, statusBody); break;
      case 133: flags = r.fixed32(); break;
      default: skipField(r, tag, SPAN);
    }
  }
  const span: Span = {};
  if (traceId !== '') span.traceId = traceId;
  if (spanId !== '') span.spanId = spanId;
  if (traceState !== '') span.traceState = traceState;
  if (parentSpanId !== '') span.parentSpanId = parentSpanId;
  if (flags !== 0) span.flags = flags;
  if (name !== '') span.name = name;
  if (kind !== 0) span.kind = kind;
  if (start !== '0') span.startTimeUnixNano = start;
  if (end !== '0') span.endTimeUnixNano = end;
  if (attributes) span.attributes = attributes;
  if (dropped !== 0) span.droppedAttributesCount = dropped;
  if (events) span.events = events;
  if (droppedEvents !== 0) span.droppedEventsCount = droppedEvents;
  if (links) span.links = links;
  if (droppedLinks !== 0) span.droppedLinksCount = droppedLinks;
  if (status) span.status = status;
  return span;
}

function eventBody(r: WireReader): SpanEvent {
  let time = '0', name = '', dropped = 0;
  let attributes: KeyValue[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: time = readFixed64Decimal(r); break;
      case 18: name = r.string(); break;
      case 26: (attributes ??= []).push(readKeyValue(r)); break;
      case 32: dropped = r.uint32(); break;
      default: skipField(r, tag, EVENT);
    }
  }
  const event: SpanEvent = {};
  if (time !== '0') event.timeUnixNano = time;
  if (name !== '') event.name = name;
  if (attributes) event.attributes = attributes;
  if (dropped !== 0) event.droppedAttributesCount = dropped;
  return event;
}

function linkBody(r: WireReader): SpanLink {
  let traceId = '', spanId = '', traceState = '', dropped = 0, flags = 0;
  let attributes: KeyValue[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: traceId = r.hex(); break;
      case 18: spanId = r.hex(); break;
      case 26: traceState = r.string(); break;
      case 34: (attributes ??= []).push(readKeyValue(r)); break;
      case 40: dropped = r.uint32(); break;
      case 53: flags = r.fixed32(); break;
      default: skipField(r, tag, LINK);
    }
  }
  const link: SpanLink = {};
  if (traceId !== '') link.traceId = traceId;
  if (spanId !== '') link.spanId = spanId;
  if (traceState !== '') link.traceState = traceState;
  if (attributes) link.attributes = attributes;
  if (dropped !== 0) link.droppedAttributesCount = dropped;
  if (flags !== 0) link.flags = flags;
  return link;
}

function statusBody(r: WireReader): Status {
  let message = '', code = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 18: message = r.string(); break;
      case 24: code = r.int32(); break;
      default: skipField(r, tag, STATUS);
    }
  }
  const status: Status = {};
  if (message !== '') status.message = message;
  if (code !== 0) status.code = code;
  return status;
}
