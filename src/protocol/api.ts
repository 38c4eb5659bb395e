// The engine's HTTP API, as types: shared by the engine, the extension and the UI.
// Times are Unix nanoseconds as decimal strings; ids are lowercase hex.

export interface StatusResponse {
  name: 'loupe';
  version: string;
  otlp: { grpc: string; http: string };
  counts: { spans: number; traces: number; logs: number; metricPoints: number; profiles: number };
  dropped: { spans: number; traces: number; logs: number; metricPoints: number; rejected: number };
  memoryBytes: number;
  memoryBudgetBytes: number;
  startedAt: string;
  /** New each time an engine starts: a client that sees it change knows its data is gone. */
  instanceId: string;
}

export interface ServiceSummary {
  name: string;
  spanCount: number;
  errorCount: number;
  lastSeen: string;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  /** False while the trace's root span (one without a parent) has not arrived. */
  hasRoot: boolean;
  startTimeUnixNano: string;
  durationNanos: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface TracesResponse {
  traces: TraceSummary[];
}

/** A span elsewhere in the store with a link into a trace (`GET /api/traces/{id}/backlinks`). */
export interface BackLink {
  traceId: string;
  spanId: string;
  name: string;
  service: string;
  startTimeUnixNano: string;
  /** The span of the requested trace that the link names (may be empty). */
  linkedSpanId: string;
}

export interface BackLinksResponse {
  backlinks: BackLink[];
  /** True when more spans link here than the answer lists. */
  truncated: boolean;
}

export interface LogEntry {
  timeUnixNano: string;
  observedTimeUnixNano?: string;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  service: string;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}

export interface LogsResponse {
  logs: LogEntry[];
}

export interface MetricSummary {
  name: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  description: string;
  unit: string;
  series: { id: number; service: string; attributes: Record<string, unknown>; pointCount: number }[];
}

export interface MetricSeriesResponse {
  name: string;
  series: {
    id: number;
    service: string;
    kind: MetricSummary['kind'];
    unit: string;
    aggregationTemporality: number;
    isMonotonic: boolean;
    attributes: Record<string, unknown>;
    points: Record<string, unknown>[];
  }[];
}

/** One message of the `/api/events` stream (`data:` of an SSE `change` event). */
export interface ChangeEvent {
  /** The store was emptied (Clear Data) since the last event: views drop what they show. */
  cleared?: boolean;
  newTraces: number;
  spans: number;
  logs: number;
  metricPoints: number;
  counts: StatusResponse['counts'];
  dropped: StatusResponse['dropped'];
  /** The engine that sent it (StatusResponse.instanceId); every stream starts with one event. */
  instanceId: string;
}

export interface ApiError {
  error: string;
}
