// The engine's HTTP API, as types: shared by the engine, the extension and the UI.
// Times are Unix nanoseconds as decimal strings; ids are lowercase hex.

import type { ForwardStatus } from './forward.ts';
import type { AlertChange } from './alerts.ts';

export interface StatusResponse {
  name: 'loupe';
  version: string;
  otlp: { grpc: string; http: string };
  counts: { spans: number; traces: number; logs: number; metricPoints: number; profiles: number };
  /** `refusedRequests`: exports backpressure turned away unread (429/503/UNAVAILABLE), for the client to send again. */
  dropped: { spans: number; traces: number; logs: number; metricPoints: number; rejected: number; profiles?: number; refusedRequests?: number };
  memoryBytes: number;
  memoryBudgetBytes: number;
  /** The engine process as the operating system sees it (RSS) and its V8 heap in use. */
  process: { rssBytes: number; heapUsedBytes: number };
  startedAt: string;
  /** New each time an engine starts: a client that sees it change knows its data is gone. */
  instanceId: string;
  /** The on-disk tier, when the engine keeps one (`--data-dir`). */
  disk?: DiskStatus;
  /** Forwarding to an upstream OTLP endpoint (`state: 'off'` when not configured). */
  forward?: ForwardStatus;
}

/** The warm tier: segment files in a data folder, kept within a disk budget and a retention time. */
export interface DiskStatus {
  dir: string;
  bytes: number;
  budgetBytes: number;
  retentionHours: number;
  segments: number;
  /** When the oldest data on disk arrived; absent while the tier is empty. */
  oldestReceivedAt?: string;
  /** Items on disk (the newest of them are also in memory). */
  counts: { spans: number; logs: number; metricPoints: number; profiles: number };
  /** Dropped from disk, oldest segment first, to keep the budget and retention time. */
  dropped: { segments: number; bytes: number; spans: number; logs: number; metricPoints: number; profiles: number };
  /** Found on start or on read: a torn tail cut off, damaged records skipped, indexes rebuilt from their segments. */
  damage: { tornBytes: number; damagedRecords: number; rebuiltIndexes: number };
  /** Set when writing stopped (a full disk…): the engine goes on in memory. */
  error?: string;
  /** The last session's newest data, loaded back into memory after the engine listens (queries answer from disk meanwhile). */
  reload?: DiskReloadStatus;
  /**
   * The segments' shares of the span aggregates and log patterns, for what memory evicted
   * (counted in the memory budget). `full`: at a quarter of the memory budget, what memory
   * evicts is no longer kept (those aggregates then cover less than the disk holds).
   */
  shares?: { segments: number; bytes: number; full: boolean };
}

export interface DiskReloadStatus {
  state: 'loading' | 'done' | 'stopped';
  /** Request bytes loaded so far, of `totalBytes` planned (at most a quarter of the memory budget). */
  loadedBytes: number;
  totalBytes: number;
  records: number;
  /** From listening to loaded, once done. */
  seconds?: number;
  /** Then the older segments, counted into the golden signals and the segments' shares of the other aggregates only (not loaded into memory). */
  aggregates?: DiskAggregateStatus;
}

export interface DiskAggregateStatus {
  /** `waiting` while the load above runs. */
  state: 'waiting' | 'counting' | 'done' | 'stopped';
  /** Segment bytes read so far, of `totalBytes` (the last session's segments not loaded back). */
  scannedBytes: number;
  totalBytes: number;
  /** Records counted (traces and logs; other signals' records are not read). */
  records: number;
  /** From listening to counted, once done. */
  seconds?: number;
}

/** How much of an answer came from the disk tier (older data that memory no longer holds). */
export interface DiskAnswer {
  /** Items of the answer read from disk. */
  items: number;
  segmentsRead: number;
  /** True when the disk tier was not read to the end (time spent): older matches may exist. */
  partial: boolean;
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
  /** Set when the trace was read from the disk tier (memory no longer holds it). */
  fromDisk?: true;
  /** Set with `fromDisk` when memory held some of its spans and the rest came from disk. */
  partlyFromDisk?: true;
}

export interface TracesResponse {
  traces: TraceSummary[];
  /** Present when part of the answer came from the disk tier. */
  disk?: DiskAnswer;
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
  /** True when more spans link here than the answer lists, or the disk tier was not searched to the end in the time allowed. */
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
  scope?: { name: string; version: string; attributes: Record<string, unknown> };
  /** The record's pattern (`GET /api/logs/patterns`), for `GET /api/logs?pattern=`. */
  patternId?: number;
  /** Set when the record was read from the disk tier. */
  fromDisk?: true;
}

export interface LogsResponse {
  logs: LogEntry[];
  /** Present when part of the answer came from the disk tier. */
  disk?: DiskAnswer;
}

/** One message template and the records under it (`GET /api/logs/patterns`), largest first. */
export interface LogPatternSummary {
  id: number;
  service: string;
  /** The message with its variable parts masked: `<num>`, `<uuid>`, `"<*>"`… */
  pattern: string;
  count: number;
  /** Records by severity name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, UNSPECIFIED). */
  severities: Record<string, number>;
  /** The newest record's body, as text. */
  example: string;
  lastSeenUnixNano: string;
  /** Counts over time on one grid shared by every pattern of the answer. */
  points: { time: string; count: number }[];
}

export interface MetricSummary {
  name: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  description: string;
  unit: string;
  series: { id: number; service: string; attributes: Record<string, unknown>; pointCount: number; source: 'otlp' | 'scrape' }[];
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
    chart: MetricChart;
  }[];
  /** Present when points memory had evicted were read from the disk tier (`items`: those points). */
  disk?: DiskAnswer;
}

/** One message of the `/api/events` stream (`data:` of an SSE `change` event). */
export interface ChangeEvent {
  /** The store was emptied (Clear Data) since the last event: views drop what they show. */
  cleared?: boolean;
  newTraces: number;
  spans: number;
  logs: number;
  metricPoints: number;
  /** Profiles stored since the last event (received over OTLP or imported). */
  profiles?: number;
  counts: StatusResponse['counts'];
  dropped: StatusResponse['dropped'];
  /** The engine that sent it (StatusResponse.instanceId); every stream starts with one event. */
  instanceId: string;
  /** Alerts that changed state since the last event (`GET /api/alerts` has the rest). */
  alerts?: AlertChange[];
}

export interface ApiError {
  error: string;
}

/** A point of `GET /api/signals`: requests, errors and latency percentiles over one step. */
export interface SignalPoint {
  time: string;
  requests: number;
  errors: number;
  /** Null when the step had no requests. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

export interface SignalSeriesItem {
  service: string;
  /** Null: the service as a whole. */
  route: string | null;
  /** Where the route came from: the spans' `http.route`, or (without one) their name. */
  routeSource: 'http.route' | 'name';
  points: SignalPoint[];
  /** The whole window's figures (percentiles from the merged sketch, not from the points). */
  totals: SignalFigures;
  /** With baselineStart/baselineEnd: the baseline window's points, their times shifted by `shiftNs` onto the current window. */
  baseline?: { shiftNs: string; points: SignalPoint[]; totals: SignalFigures };
  /** Where the series comes from; absent means spans. */
  source?: SignalSource;
  /** Metrics-derived series: the histogram buckets each percentile fell in. */
  resolution?: LatencyResolution;
  /** With `metrics=1`, on a span-derived series: the same route's figures from request metrics. */
  metrics?: { source: SignalSource; points: SignalPoint[]; totals: SignalFigures; resolution?: LatencyResolution; disagreement?: string };
  /** Request-latency summaries of the route: their quantiles as the app reported them. */
  summaries?: ReportedQuantiles[];
}

/** Golden signals come from spans, from OTLP request metrics, or from scraped Prometheus metrics. */
export type SignalSource = 'spans' | 'otlp-metrics' | 'scrape';

/** Percentiles from histogram buckets are known to within the bucket they fall in. */
export interface LatencyResolution {
  buckets: 'explicit' | 'exponential';
  /** Exponential buckets: each is this much wider than the one before (base − 1). */
  relative?: number;
  /** The bucket (ms) each percentile of the totals fell in; null upper: the overflow bucket. */
  p50Ms?: [number, number | null];
  p90Ms?: [number, number | null];
  p95Ms?: [number, number | null];
  p99Ms?: [number, number | null];
}

/** A summary's quantiles over time, as reported: quantiles cannot be merged across series, so they never are. */
export interface ReportedQuantiles {
  metric: string;
  attributes: Record<string, unknown>;
  times: string[];
  lines: { quantile: number; valuesMs: (number | null)[] }[];
}

export interface SignalsResponse {
  /** Seconds per point (the asked step rounded up to whole buckets). */
  step: number;
  start: string;
  end: string;
  baselineStart?: string;
  baselineEnd?: string;
  series: SignalSeriesItem[];
}

export interface SignalFigures {
  requests: number;
  errors: number;
  errorRate: number;
  requestsPerSecond: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** A row of `GET /api/signals/routes`. */
export interface SignalRoute extends SignalFigures {
  service: string;
  route: string;
  routeSource: 'http.route' | 'name';
  baseline?: SignalFigures;
  /** Where the row comes from; absent means spans. */
  source?: SignalSource;
  resolution?: LatencyResolution;
  /** With `metrics=1`, on a span-derived row: the route's figures from request metrics, and a note when they disagree. */
  metrics?: { source: SignalSource; figures: SignalFigures; resolution?: LatencyResolution; disagreement?: string };
}

/** A metric exemplar: one measurement with the trace it was recorded in. */
export interface MetricExemplar {
  time: string;
  value: number;
  traceId: string;
  spanId: string;
}

/** A metric series ready to chart (`GET /api/metrics/series`, each series' `chart`). */
export interface MetricChart {
  /** value: gauges and up-down sums; rate: monotonic sums per second; percentiles: from histogram buckets per interval; quantiles: a summary's, as reported. */
  mode: 'value' | 'rate' | 'percentiles' | 'quantiles';
  unit: string;
  times: string[];
  lines: { name: string; values: (number | null)[] }[];
  exemplars: MetricExemplar[];
}

/** A Prometheus endpoint the engine scrapes (`GET /api/metrics/targets`). */
export interface ScrapeTargetStatus {
  url: string;
  /** The service name its metrics are stored under. */
  service: string;
  state: 'pending' | 'up' | 'down';
  lastScrape?: string;
  lastDurationMs?: number;
  lastError?: string;
  samples: number;
  scrapes: number;
  failures: number;
}
