// A small HTTP server with hand-written instrumentation: a SERVER span per request,
// continued from the caller's `traceparent`, with the HTTP semantic-convention
// attributes; Prometheus and OpenTelemetry request metrics; and /metrics for scraping.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { callSiteAttributes } from './callSite.ts';
import { listenOnLoopback } from './listen.ts';
import type { ServiceLog } from './log.ts';
import type { HttpMetrics } from './prometheus.ts';
import { RequestMetrics } from './requestMetrics.ts';
import { recordFailure } from './spans.ts';
import type { ServiceTelemetry } from './telemetry.ts';

export interface RouteRequest {
  params: Record<string, string>;
  /** The request's SERVER span, for attributes the application adds. */
  span: Span;
}

export interface RouteResponse {
  status: number;
  body: unknown;
}

interface Route {
  pattern: string;
  regex: RegExp;
  handle: (request: RouteRequest) => Promise<RouteResponse>;
  /** Where the route was declared: its spans link there. */
  code: Attributes;
}

export class Routes {
  private readonly all: Route[] = [];

  /** `pattern` is an http.route such as `/users/:id`. */
  get(pattern: string, handle: Route['handle']): void {
    const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '(?<$1>[^/]+)');
    this.all.push({ pattern, regex: new RegExp(`^${source}$`), handle, code: callSiteAttributes() });
  }

  match(path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.all) {
      const found = route.regex.exec(path);
      if (found) return { route, params: { ...found.groups } };
    }
    return undefined;
  }
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function serveHttp(
  telemetry: ServiceTelemetry,
  routes: Routes,
  metrics: HttpMetrics,
  log: ServiceLog,
  preferredPort: number,
): Promise<RunningServer> {
  const requestMetrics = new RequestMetrics(telemetry.meter, metrics);
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/metrics') return serveMetrics(res, metrics);
    const matched = method === 'GET' ? routes.match(path) : undefined;
    const route = matched?.route;
    const finished = requestMetrics.start(method, route?.pattern);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = telemetry.tracer.startSpan(
      route ? `${method} ${route.pattern}` : method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': path,
          'url.scheme': 'http',
          'server.address': '127.0.0.1',
          'server.port': port,
          'network.peer.address': req.socket.remoteAddress,
          'user_agent.original': req.headers['user-agent'],
          ...(route ? { 'http.route': route.pattern, ...route.code } : {}),
        },
      },
      parent,
    );
    let threw = false;
    const response = await context.with(trace.setSpan(parent, span), async (): Promise<RouteResponse> => {
      if (!matched) return { status: 404, body: { error: `no route for ${method} ${path}` } };
      try {
        return await matched.route.handle({ params: matched.params, span });
      } catch (err) {
        threw = true;
        recordFailure(span, err);
        log.error(`${method} ${matched.route.pattern} failed`, { 'http.route': matched.route.pattern, 'url.path': path }, err);
        return { status: 500, body: { error: 'internal error' } };
      }
    });
    span.setAttribute('http.response.status_code', response.status);
    // Server spans fail on 5xx only: a 404 is the client's mistake, not the server's.
    if (response.status >= 500 && !threw) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', String(response.status));
    }
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    span.end();
    finished(response.status);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
      log.error('request handling crashed', {}, err);
    });
  });
  port = await listenOnLoopback(server, preferredPort);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function serveMetrics(res: ServerResponse, metrics: HttpMetrics): Promise<void> {
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(text);
}
