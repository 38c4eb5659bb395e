// Jaeger's JSON (what its UI's "Download JSON" and its HTTP API give: `{ "data": [trace…] }`)
// as one OTLP/JSON ExportTraceServiceRequest. Jaeger's own OTLP mapping, backwards:
// processes become resources, span.kind/otel.status_code/otel.scope.* tags become span
// fields, a CHILD_OF reference the parent, other references links, logs events.

import type { AnyValue, KeyValue, ResourceSpans, Span, SpanEvent, SpanLink, TracesData } from '../../protocol/otlp.ts';

export class JaegerFormatError extends Error {
  override name = 'JaegerFormatError';
}

interface JaegerTag { key?: unknown; type?: unknown; value?: unknown }
interface JaegerProcess { serviceName?: unknown; tags?: unknown }
interface JaegerSpan {
  traceID?: unknown; spanID?: unknown; operationName?: unknown; references?: unknown; startTime?: unknown; duration?: unknown;
  tags?: unknown; logs?: unknown; processID?: unknown; process?: unknown; flags?: unknown;
}

const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** True when `value` looks like Jaeger's export: an object whose `data` is a list of traces with spans. */
export function isJaegerExport(value: unknown): boolean {
  const data = (value as { data?: unknown } | null)?.data;
  return Array.isArray(data) && data.every((t) => !!t && typeof t === 'object' && Array.isArray((t as { spans?: unknown }).spans));
}

export function jaegerToOtlp(value: unknown): TracesData {
  const traces = (value as { data: unknown[] }).data;
  const resources = new Map<string, ResourceSpans>();
  traces.forEach((trace, t) => {
    const { spans, processes } = trace as { spans: unknown[]; processes?: Record<string, JaegerProcess> };
    spans.forEach((raw, s) => {
      const where = `data[${t}].spans[${s}]`;
      if (!raw || typeof raw !== 'object') throw new JaegerFormatError(`${where}: expected a span object, got ${JSON.stringify(raw)?.slice(0, 60)}`);
      const span = raw as JaegerSpan;
      const process = (typeof span.process === 'object' && span.process ? span.process : processes?.[String(span.processID)]) as JaegerProcess | undefined;
      const serviceName = typeof process?.serviceName === 'string' ? process.serviceName : 'unknown_service';
      const processTags = tagList(process?.tags, `${where} process tags`);
      const resourceKey = JSON.stringify([serviceName, processTags]);
      let resource = resources.get(resourceKey);
      if (!resource) {
        resource = { resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }, ...processTags] }, scopeSpans: [] };
        resources.set(resourceKey, resource);
      }
      const { otlp, scopeName, scopeVersion } = convertSpan(span, where);
      let scope = resource.scopeSpans!.find((ss) => (ss.scope?.name ?? '') === scopeName && (ss.scope?.version ?? '') === scopeVersion);
      if (!scope) {
        scope = { scope: { ...(scopeName ? { name: scopeName } : {}), ...(scopeVersion ? { version: scopeVersion } : {}) }, spans: [] };
        resource.scopeSpans!.push(scope);
      }
      scope.spans!.push(otlp);
    });
  });
  return { resourceSpans: [...resources.values()] };
}

function convertSpan(span: JaegerSpan, where: string): { otlp: Span; scopeName: string; scopeVersion: string } {
  const traceId = hexId(span.traceID, 32, `${where}.traceID`);
  const start = micros(span.startTime, `${where}.startTime`);
  const duration = micros(span.duration ?? 0, `${where}.duration`);
  if (start + duration > MAX_MICROS) throw new JaegerFormatError(`${where}: startTime + duration ends after what OTLP's nanosecond times hold`);
  const otlp: Span = {
    traceId,
    spanId: hexId(span.spanID, 16, `${where}.spanID`),
    name: typeof span.operationName === 'string' ? span.operationName : '',
    startTimeUnixNano: (start * 1000n).toString(),
    endTimeUnixNano: ((start + duration) * 1000n).toString(),
  };
  let scopeName = '';
  let scopeVersion = '';
  let statusCode = 0;
  let statusMessage = '';
  let errorTag = false;
  const attributes: KeyValue[] = [];
  for (const tag of tagList(span.tags, `${where}.tags`)) {
    const text = tag.value && 'stringValue' in tag.value ? tag.value.stringValue : undefined;
    switch (tag.key) {
      case 'span.kind': otlp.kind = KINDS[String(text).toLowerCase()] ?? 0; break;
      case 'otel.status_code': statusCode = text === 'ERROR' ? 2 : text === 'OK' ? 1 : 0; break;
      case 'otel.status_description': statusMessage = text ?? ''; break;
      case 'otel.scope.name': case 'otel.library.name': scopeName = text ?? ''; break;
      case 'otel.scope.version': case 'otel.library.version': scopeVersion = text ?? ''; break;
      case 'w3c.tracestate': otlp.traceState = text ?? ''; break;
      case 'error': errorTag = !!tag.value && 'boolValue' in tag.value ? tag.value.boolValue : text === 'true'; attributes.push(tag); break;
      default: attributes.push(tag);
    }
  }
  if (!statusCode && errorTag) statusCode = 2;
  if (statusCode) otlp.status = { code: statusCode, ...(statusMessage ? { message: statusMessage } : {}) };
  if (attributes.length) otlp.attributes = attributes;
  const links: SpanLink[] = [];
  const references = Array.isArray(span.references) ? span.references as { refType?: unknown; traceID?: unknown; spanID?: unknown }[] : [];
  references.forEach((ref, i) => {
    if (!ref || typeof ref !== 'object') throw new JaegerFormatError(`${where}.references[${i}]: expected {refType, traceID, spanID}`);
    const refTrace = hexId(ref.traceID ?? span.traceID, 32, `${where}.references[${i}].traceID`);
    const refSpan = hexId(ref.spanID, 16, `${where}.references[${i}].spanID`);
    if (ref.refType !== 'FOLLOWS_FROM' && refTrace === traceId && !otlp.parentSpanId) otlp.parentSpanId = refSpan;
    else links.push({ traceId: refTrace, spanId: refSpan, ...(ref.refType === 'FOLLOWS_FROM' ? { attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }] } : {}) });
  });
  if (links.length) otlp.links = links;
  const logs = Array.isArray(span.logs) ? span.logs as { timestamp?: unknown; fields?: unknown }[] : [];
  const events: SpanEvent[] = logs.map((log, i) => {
    if (!log || typeof log !== 'object') throw new JaegerFormatError(`${where}.logs[${i}]: expected {timestamp, fields}`);
    const fields = tagList(log.fields, `${where}.logs[${i}].fields`);
    const nameField = fields.find((f) => f.key === 'event') ?? fields.find((f) => f.key === 'message');
    const name = nameField?.value && 'stringValue' in nameField.value ? nameField.value.stringValue : 'log';
    const rest = fields.filter((f) => f !== nameField);
    return { timeUnixNano: (micros(log.timestamp, `${where}.logs[${i}].timestamp`) * 1000n).toString(), name, ...(rest.length ? { attributes: rest } : {}) };
  });
  if (events.length) otlp.events = events;
  return { otlp, scopeName, scopeVersion };
}

function tagList(tags: unknown, where: string): KeyValue[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw new JaegerFormatError(`${where}: expected a list of {key, type, value}`);
  return (tags as JaegerTag[]).map((tag, i) => {
    if (!tag || typeof tag.key !== 'string') throw new JaegerFormatError(`${where}[${i}]: a tag needs a string "key"`);
    return { key: tag.key, value: tagValue(tag, `${where}[${i}]`) };
  });
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function tagValue(tag: JaegerTag, where: string): AnyValue {
  const v = tag.value;
  switch (String(tag.type ?? 'string').toLowerCase()) {
    case 'bool': return { boolValue: v === true || v === 'true' };
    case 'int64': {
      const text = String(v);
      if (!/^-?\d{1,19}$/.test(text) || BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX) throw new JaegerFormatError(`${where}: int64 tag "${tag.key}" has value ${JSON.stringify(v)?.slice(0, 60)}, not a 64-bit integer`);
      return { intValue: text };
    }
    case 'float64': return { doubleValue: Number(v) };
    case 'binary': return { bytesValue: String(v) };
    default: return { stringValue: typeof v === 'string' ? v : JSON.stringify(v) ?? '' };
  }
}

/** Jaeger ids are hex without leading zeros (64-bit trace ids too): padded to OTLP's width. */
function hexId(value: unknown, width: number, where: string): string {
  const hex = typeof value === 'string' ? value.toLowerCase() : '';
  if (!/^[0-9a-f]+$/.test(hex) || hex.length > width) throw new JaegerFormatError(`${where}: expected a hex id of up to ${width} digits, got ${JSON.stringify(value)?.slice(0, 60)}`);
  return hex.padStart(width, '0');
}

/** The latest time in microseconds whose nanoseconds fit OTLP's fixed64. */
const MAX_MICROS = (2n ** 64n - 1n) / 1000n;

function micros(value: unknown, where: string): bigint {
  const n = typeof value === 'number' && Number.isInteger(value) && value >= 0 ? BigInt(value) : typeof value === 'string' && /^\d{1,30}$/.test(value) ? BigInt(value) : -1n;
  if (n >= 0n && n <= MAX_MICROS) return n;
  throw new JaegerFormatError(`${where}: expected microseconds since 1970 as a whole number, got ${JSON.stringify(value)?.slice(0, 60)}`);
}
