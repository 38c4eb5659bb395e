// The OTLP data model, as the engine decodes it and the API answers with it. Its
// shape is OTLP/JSON as the specification defines it (lowerCamelCase keys, ids as
// lowercase hex, 64-bit integers as decimal strings, bytes as base64, enums as
// integers), so a decoded request can be written back out as spec-conformant,
// re-importable OTLP/JSON with JSON.stringify.
//
// Both decoders (protobuf and JSON) produce exactly this form. Fields whose value is
// the proto3 default (0, "", false, empty list, absent message) are omitted, so two
// decodings of the same data compare equal field by field.

export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { bytesValue: string }
  | { arrayValue: { values?: AnyValue[] } }
  | { kvlistValue: { values?: KeyValue[] } }
  | Record<string, never>;

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export interface EntityRef {
  schemaUrl?: string;
  type?: string;
  idKeys?: string[];
  descriptionKeys?: string[];
}

export interface Resource {
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
  entityRefs?: EntityRef[];
}

export interface InstrumentationScope {
  name?: string;
  version?: string;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
}

// ---- traces

export const enum SpanKind { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 }
export const enum StatusCode { Unset = 0, Ok = 1, Error = 2 }

export interface SpanEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
}

export interface SpanLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface Status {
  message?: string;
  code?: number;
}

export interface Span {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
  events?: SpanEvent[];
  droppedEventsCount?: number;
  links?: SpanLink[];
  droppedLinksCount?: number;
  status?: Status;
}

export interface ScopeSpans {
  scope?: InstrumentationScope;
  spans?: Span[];
  schemaUrl?: string;
}

export interface ResourceSpans {
  resource?: Resource;
  scopeSpans?: ScopeSpans[];
  schemaUrl?: string;
}

export interface TracesData {
  resourceSpans?: ResourceSpans[];
}

// ---- logs

export interface LogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}

export interface ScopeLogs {
  scope?: InstrumentationScope;
  logRecords?: LogRecord[];
  schemaUrl?: string;
}

export interface ResourceLogs {
  resource?: Resource;
  scopeLogs?: ScopeLogs[];
  schemaUrl?: string;
}

export interface LogsData {
  resourceLogs?: ResourceLogs[];
}

// ---- metrics

export interface Exemplar {
  filteredAttributes?: KeyValue[];
  timeUnixNano?: string;
  asDouble?: number;
  asInt?: string;
  spanId?: string;
  traceId?: string;
}

export interface NumberDataPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  asDouble?: number;
  asInt?: string;
  exemplars?: Exemplar[];
  flags?: number;
}

export interface HistogramDataPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  count?: string;
  sum?: number;
  bucketCounts?: string[];
  explicitBounds?: number[];
  exemplars?: Exemplar[];
  flags?: number;
  min?: number;
  max?: number;
}

export interface ExponentialHistogramBuckets {
  offset?: number;
  bucketCounts?: string[];
}

export interface ExponentialHistogramDataPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  count?: string;
  sum?: number;
  scale?: number;
  zeroCount?: string;
  positive?: ExponentialHistogramBuckets;
  negative?: ExponentialHistogramBuckets;
  flags?: number;
  exemplars?: Exemplar[];
  min?: number;
  max?: number;
  zeroThreshold?: number;
}

export interface SummaryValueAtQuantile {
  quantile?: number;
  value?: number;
}

export interface SummaryDataPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  count?: string;
  sum?: number;
  quantileValues?: SummaryValueAtQuantile[];
  flags?: number;
}

export interface Metric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: NumberDataPoint[] };
  sum?: { dataPoints?: NumberDataPoint[]; aggregationTemporality?: number; isMonotonic?: boolean };
  histogram?: { dataPoints?: HistogramDataPoint[]; aggregationTemporality?: number };
  exponentialHistogram?: { dataPoints?: ExponentialHistogramDataPoint[]; aggregationTemporality?: number };
  summary?: { dataPoints?: SummaryDataPoint[] };
  metadata?: KeyValue[];
}

export interface ScopeMetrics {
  scope?: InstrumentationScope;
  metrics?: Metric[];
  schemaUrl?: string;
}

export interface ResourceMetrics {
  resource?: Resource;
  scopeMetrics?: ScopeMetrics[];
  schemaUrl?: string;
}

export interface MetricsData {
  resourceMetrics?: ResourceMetrics[];
}
