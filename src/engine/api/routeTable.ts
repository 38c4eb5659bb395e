// Every route the engine's HTTP port serves, in one list: the 404 answer names them,
// and test/request-guard-routes.test.ts asks each one as a hostile web page would. A
// route added to the router (or a receiver) without an entry here fails that test.

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** The path, with `{name}` for a path parameter. */
  path: string;
  /** What the route does, in a few words (for the 404 message and test names). */
  does: string;
  /** The route stores, deletes or stops something. */
  changes?: true;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/status', does: 'engine status and counts' },
  { method: 'GET', path: '/api/services', does: 'services seen' },
  { method: 'GET', path: '/api/operations', does: 'operation figures' },
  { method: 'GET', path: '/api/exceptions', does: 'exception groups' },
  { method: 'GET', path: '/api/functions', does: 'function figures' },
  { method: 'GET', path: '/api/traces', does: 'trace search' },
  { method: 'GET', path: '/api/traces/{traceId}', does: 'one trace' },
  { method: 'GET', path: '/api/traces/{traceId}/backlinks', does: 'links into a trace' },
  { method: 'GET', path: '/api/traces/{traceId}/search', does: 'search within a trace' },
  { method: 'GET', path: '/api/traces/{traceId}/spans/{spanId}', does: 'one span' },
  { method: 'GET', path: '/api/logs', does: 'log search' },
  { method: 'GET', path: '/api/logs/patterns', does: 'log patterns' },
  { method: 'GET', path: '/api/signals', does: 'golden signals' },
  { method: 'GET', path: '/api/signals/routes', does: 'signals per route' },
  { method: 'GET', path: '/api/metrics', does: 'metric list' },
  { method: 'GET', path: '/api/metrics/series', does: 'metric series' },
  { method: 'GET', path: '/api/metrics/targets', does: 'scrape targets' },
  { method: 'PUT', path: '/api/metrics/targets', does: 'set scrape targets', changes: true },
  { method: 'GET', path: '/api/alerts', does: 'alert rules and their state' },
  { method: 'GET', path: '/api/alerts/rules', does: 'alert rules' },
  { method: 'PUT', path: '/api/alerts/rules', does: 'set alert rules', changes: true },
  { method: 'GET', path: '/api/signals/metric-names', does: 'request-metric name mapping' },
  { method: 'PUT', path: '/api/signals/metric-names', does: 'set the request-metric name mapping', changes: true },
  { method: 'GET', path: '/api/forward', does: 'forwarding state' },
  { method: 'PUT', path: '/api/forward', does: 'set forwarding', changes: true },
  { method: 'GET', path: '/api/files', does: 'opened telemetry files' },
  { method: 'POST', path: '/api/files', does: 'open a telemetry file', changes: true },
  { method: 'POST', path: '/api/files/import', does: 'import a telemetry file into the live store', changes: true },
  { method: 'GET', path: '/api/compare', does: 'trace compare' },
  { method: 'GET', path: '/api/agent/tools', does: 'agent tool list' },
  { method: 'POST', path: '/api/agent/tools/{name}', does: 'run an agent tool' },
  { method: 'POST', path: '/mcp', does: 'MCP (streamable HTTP)' },
  { method: 'GET', path: '/api/profiles', does: 'profile list' },
  { method: 'POST', path: '/api/profiles', does: 'import a profile', changes: true },
  { method: 'POST', path: '/api/profiles/merge', does: 'merge profiles', changes: true },
  { method: 'GET', path: '/api/profiles/{id}', does: 'one profile' },
  { method: 'GET', path: '/api/profiles/{id}/top', does: 'top functions' },
  { method: 'GET', path: '/api/events', does: 'live events (SSE)' },
  { method: 'DELETE', path: '/api/data', does: 'clear all data', changes: true },
  { method: 'POST', path: '/api/shutdown', does: 'stop the engine', changes: true },
  { method: 'GET', path: '/metrics', does: 'Prometheus self-metrics' },
  { method: 'POST', path: '/v1/traces', does: 'OTLP traces', changes: true },
  { method: 'POST', path: '/v1/logs', does: 'OTLP logs', changes: true },
  { method: 'POST', path: '/v1/metrics', does: 'OTLP metrics', changes: true },
  { method: 'POST', path: '/v1development/profiles', does: 'OTLP profiles', changes: true },
  { method: 'GET', path: '/', does: 'the UI' },
  { method: 'GET', path: '/assets/{file}', does: 'the UI files' },
];

/** "GET /api/status, …": for answers that list what exists. */
export function describeRoutes(): string {
  return ROUTES.map((r) => `${r.method} ${r.path}`).join(', ');
}
