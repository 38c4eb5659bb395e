// Which metrics are request metrics, and how their attributes (OTLP) or labels (Prometheus)
// name the route, the status and the error. Covers the OpenTelemetry HTTP and RPC semantic
// conventions and the usual Prometheus "golden signals" names; the user adds odd names
// through `loupe.signalMetrics` (`PUT /api/signals/metric-names`).

export type RequestMetricRole = 'latency' | 'requests' | 'errors';

/** One mapping: a metric name and what it measures. */
export interface RequestMetricName {
  /** The metric's name as stored (Prometheus names without `_bucket`/`_sum`/`_count`). */
  name: string;
  role: RequestMetricRole;
  /** Latency only: the unit of its values when the metric does not say ("s", "ms", "us", "ns"). */
  unit?: string;
  /** Attribute or label keys that hold the route, tried in order (default: the common ones). */
  routeKeys?: string[];
  /** Attribute or label keys that hold the status code. */
  statusKeys?: string[];
}

const ROUTE_KEYS = ['http.route', 'route', 'endpoint', 'handler', 'path', 'http_route', 'uri', 'url.template'];
const STATUS_KEYS = ['http.response.status_code', 'http.status_code', 'status', 'status_code', 'code', 'http_status', 'rpc.grpc.status_code'];

export const CONVENTIONAL_NAMES: readonly RequestMetricName[] = [
  { name: 'http.server.request.duration', role: 'latency', unit: 's' },
  // The HTTP conventions before 1.23: milliseconds.
  { name: 'http.server.duration', role: 'latency', unit: 'ms' },
  { name: 'rpc.server.duration', role: 'latency', unit: 'ms' },
  { name: 'http_request_duration_seconds', role: 'latency', unit: 's' },
  { name: 'http_server_request_duration_seconds', role: 'latency', unit: 's' },
  { name: 'http_server_requests_seconds', role: 'latency', unit: 's' },
  { name: 'http_request_duration_milliseconds', role: 'latency', unit: 'ms' },
  { name: 'http_request_duration_ms', role: 'latency', unit: 'ms' },
  { name: 'http_requests_total', role: 'requests' },
  { name: 'http_server_requests_total', role: 'requests' },
  { name: 'http_errors_total', role: 'errors' },
  { name: 'http_request_errors_total', role: 'errors' },
  { name: 'http_server_errors_total', role: 'errors' },
];

export class MetricNameError extends Error {
  override name = 'MetricNameError';
}

export interface RequestMetricMatch {
  role: RequestMetricRole;
  /** Milliseconds per unit of the metric's values (latency). */
  msPerUnit: number;
  route(attrs: ReadonlyMap<string, string>): string | null;
  /** True: an error; false: not; undefined: the attributes do not say. */
  isError(attrs: ReadonlyMap<string, string>): boolean | undefined;
  isRpc: boolean;
}

export class RequestMetricNames {
  private byName = new Map<string, RequestMetricName>();
  /** The user's names, as given. */
  extra: readonly RequestMetricName[] = [];

  constructor(extra: readonly RequestMetricName[] = []) {
    this.set(extra);
  }

  /** Replaces the user's names (the conventional ones stay; a user's entry wins on the same name). */
  set(extra: readonly RequestMetricName[]): void {
    this.extra = extra;
    this.byName = new Map(CONVENTIONAL_NAMES.map((n) => [n.name, n]));
    for (const n of extra) this.byName.set(n.name, n);
  }

  match(name: string, unit: string): RequestMetricMatch | undefined {
    const n = this.byName.get(name) ?? this.byName.get(name.replace(/_total$/, '')) ?? this.byName.get(`${name}_total`);
    if (!n) return undefined;
    const routeKeys = n.routeKeys?.length ? n.routeKeys : ROUTE_KEYS;
    const statusKeys = n.statusKeys?.length ? n.statusKeys : STATUS_KEYS;
    const isRpc = name.startsWith('rpc.');
    return {
      role: n.role,
      msPerUnit: msPerUnit(unit) ?? msPerUnit(n.unit ?? '') ?? 1000,
      isRpc,
      route: (attrs) => (isRpc ? rpcRoute(attrs) : firstOf(attrs, routeKeys) ?? null),
      isError: (attrs) => (isRpc ? rpcError(attrs) : httpError(attrs, statusKeys)),
    };
  }
}

/** Validates `loupe.signalMetrics` entries; the error names the bad field. */
export function parseMetricNames(body: unknown): RequestMetricName[] {
  if (!Array.isArray(body)) throw new MetricNameError('body: expected a JSON array such as [{ "name": "myapp_latency_ms", "role": "latency", "unit": "ms" }]');
  return body.map((entry, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new MetricNameError(`${at}: expected an object with name and role`);
    const e = entry as Record<string, unknown>;
    if (typeof e.name !== 'string' || !e.name.trim()) throw new MetricNameError(`${at}.name: expected the metric's name`);
    if (e.role !== 'latency' && e.role !== 'requests' && e.role !== 'errors') throw new MetricNameError(`${at}.role: expected "latency", "requests" or "errors", got ${JSON.stringify(e.role)?.slice(0, 40)}`);
    if (e.unit !== undefined && msPerUnit(String(e.unit)) === undefined) throw new MetricNameError(`${at}.unit: expected "s", "ms", "us" or "ns", got ${JSON.stringify(e.unit).slice(0, 40)}`);
    for (const key of ['routeKeys', 'statusKeys'] as const) {
      if (e[key] !== undefined && !(Array.isArray(e[key]) && (e[key] as unknown[]).every((k) => typeof k === 'string'))) throw new MetricNameError(`${at}.${key}: expected a list of attribute or label names`);
    }
    return { name: e.name.trim(), role: e.role, unit: e.unit as string | undefined, routeKeys: e.routeKeys as string[] | undefined, statusKeys: e.statusKeys as string[] | undefined };
  });
}

function msPerUnit(unit: string): number | undefined {
  switch (unit) {
    case 's': return 1000;
    case 'ms': return 1;
    case 'us': return 1e-3;
    case 'ns': return 1e-6;
    default: return undefined;
  }
}

function firstOf(attrs: ReadonlyMap<string, string>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = attrs.get(k);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

function rpcRoute(attrs: ReadonlyMap<string, string>): string | null {
  const service = attrs.get('rpc.service');
  const method = attrs.get('rpc.method');
  if (!service && !method) return null;
  return `${service ?? ''}/${method ?? ''}`;
}

/** A server's gRPC errors per the RPC conventions: codes that mean the server failed. */
const GRPC_SERVER_ERRORS = new Set(['2', '4', '12', '13', '14', '15']);

function rpcError(attrs: ReadonlyMap<string, string>): boolean | undefined {
  if (attrs.has('error.type')) return true;
  const code = attrs.get('rpc.grpc.status_code');
  return code === undefined ? undefined : GRPC_SERVER_ERRORS.has(code);
}

function httpError(attrs: ReadonlyMap<string, string>, statusKeys: readonly string[]): boolean | undefined {
  if (attrs.has('error.type')) return true;
  const status = firstOf(attrs, statusKeys);
  if (status === undefined) return undefined;
  if (/^\d+$/.test(status)) return Number(status) >= 500;
  // "5xx"-style classes, and words some exporters use.
  return /^5/.test(status) || /^(error|failure|fail)$/i.test(status);
}
