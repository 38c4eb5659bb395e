// The engine's query API, Prometheus endpoint and UI, on the OTLP/HTTP port.
// Every answer is JSON except /metrics and the event stream; every bad request gets a
// 4xx with a message that says what was wrong.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../../protocol/api.ts';
import type { Engine } from '../engine.ts';
import { listMetrics } from '../query/metricSearch.ts';
import { QueryError } from '../query/params.ts';
import { listLogPatterns } from '../query/logPatternList.ts';
import { parseLogFilter } from '../query/logSearch.ts';
import { listServices } from '../query/serviceList.ts';
import { limit, optionalString } from '../query/params.ts';
import { traceAsOtlp } from '../query/traceExport.ts';
import { compactTraceBytes, searchTraceSpans, spanAsOtlp } from '../query/traceColumns.ts';
import { TRACE_MEDIA_TYPE } from '../../protocol/compactTrace.ts';
import { parseTraceFilter } from '../query/traceSearch.ts';
import { traceKeyFromHex } from '../store/traceEntry.ts';
import { querySignalRoutes, querySignals } from '../signals/signalQuery.ts';
import { functionsWithSignals } from '../signals/requestFigures.ts';
import { sendOperations } from './operationsAnswer.ts';
import { ScrapeTargetError } from '../scrape/scraper.ts';
import { withMetricRoutes, withMetricSignals } from '../signals/fromMetrics/metricSignalQuery.ts';
import { routeAlerts } from '../alerts/alertRoutes.ts';
import { writeTraceJson } from './traceJsonStream.ts';
import { ASSET_PREFIX, serveUiAsset } from './uiAssets.ts';
import { describeRoutes } from './routeTable.ts';
import { MIN_PROFILE_UPLOAD_BYTES, routeProfiles, type ProfileApiLimits } from './profileRoutes.ts';
import { routeForward } from '../forward/forwardRoutes.ts';
import { routeFiles } from '../files/fileRoutes.ts';
import { routeAgent } from './agentRoutes.ts';
import { BothTiers } from '../disk/bothTiers.ts';

type Handler = (engine: Engine, url: URL, res: ServerResponse) => void | Promise<void>;

export const GET_ROUTES: Record<string, Handler> = {
  '/api/status': (e, _u, res) => json(res, 200, e.status(VERSION)),
  '/api/services': (e, _u, res) => json(res, 200, listServices(e.traces, e.logs, e.metrics, e.aggregates.cold())),
  '/api/operations': (e, u, res) => sendOperations(e, optionalString(u.searchParams, 'service'), res),
  '/api/exceptions': (e, u, res) => json(res, 200, e.aggregates.exceptionGroups(optionalString(u.searchParams, 'service'), limit(u.searchParams, 100, 1000))),
  '/api/functions': (e, _u, res) => json(res, 200, functionsWithSignals(e.aggregates.functionStats(), e.signals)),
  '/api/traces': async (e, u, res) => {
    const f = parseTraceFilter(u.searchParams);
    json(res, 200, (await BothTiers.read(e)).traces(f));
  },
  '/api/logs': async (e, u, res) => {
    const f = parseLogFilter(u.searchParams);
    json(res, 200, (await BothTiers.read(e)).logs(f));
  },
  '/api/logs/patterns': (e, u, res) => json(res, 200, listLogPatterns(e.logs, u.searchParams)),
  '/api/signals': (e, u, res) => json(res, 200, withMetricSignals(querySignals(e.signals, u.searchParams), e.signals, e.metricSignals, u.searchParams)),
  '/api/signals/routes': (e, u, res) => json(res, 200, withMetricRoutes(querySignalRoutes(e.signals, u.searchParams), e.signals, e.metricSignals, u.searchParams)),
  '/api/metrics': (e, _u, res) => json(res, 200, listMetrics(e.metrics, !!e.disk)),
  '/api/metrics/series': async (e, u, res) => json(res, 200, (await BothTiers.read(e)).metricSeries(u.searchParams)),
  '/api/metrics/targets': (e, _u, res) => json(res, 200, e.scraper.status()),
  '/metrics': async (e, _u, res) => {
    const text = await e.selfMetrics.text();
    res.writeHead(200, { 'content-type': e.selfMetrics.registry.contentType });
    res.end(text);
  },
  '/': (_e, u, res) => serveUiAsset(u.pathname, res),
};

export const VERSION = '0.1.0';

const ENDPOINTS = describeRoutes();

export function createApiHandler(engine: Engine, limits: ProfileApiLimits = { maxProfileBytes: MIN_PROFILE_UPLOAD_BYTES }): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://loupe');
    void route(engine, req, url, res, limits).catch((err: unknown) => {
      if (err instanceof QueryError) return json(res, 400, { error: err.message });
      if (!res.headersSent) json(res, 500, { error: `internal error: ${(err as Error).message}` });
      else res.end();
    });
  };
}

async function route(engine: Engine, req: IncomingMessage, url: URL, res: ServerResponse, limits: ProfileApiLimits): Promise<void> {
  const path = url.pathname;
  if (await routeProfiles(engine, req, url, res, limits, json)) return;
  if (await routeForward(engine, req, url, res, json)) return;
  if (await routeFiles(engine, req, url, res, json, (file) => createApiHandler(file, limits))) return;
  if (await routeAgent(engine, VERSION, req, url, res, json)) return;
  if (path === '/api/data') {
    if (req.method !== 'DELETE') return methodNotAllowed(res, 'DELETE');
    await engine.clear();
    return json(res, 200, { cleared: true });
  }
  if (path === '/api/shutdown') {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const reason = url.searchParams.get('reason')?.slice(0, 200) || 'a client asked it to stop';
    json(res, 202, { stopping: true });
    // Answer first: the listeners close right after.
    res.once('finish', () => engine.requestShutdown(reason));
    return;
  }
  if (path === '/api/metrics/targets' && req.method === 'PUT') return putScrapeTargets(engine, req, res);
  if (await routeAlerts(engine, req, path, res, json)) return;
  if (path === '/api/events') {
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    engine.events.attach(res);
    return;
  }
  const handler = GET_ROUTES[path] ?? (path.startsWith(ASSET_PREFIX) ? GET_ROUTES['/'] : undefined);
  const traceMatch = /^\/api\/traces\/([^/]+)(?:\/(backlinks|search)|\/spans\/([^/]+))?$/.exec(path);
  if (!handler && !traceMatch) return json(res, 404, { error: `no such endpoint: ${path.slice(0, 200)}; there are ${ENDPOINTS}` });
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
  if (handler) return handler(engine, url, res);
  const id = decodeURIComponent(traceMatch![1]);
  const key = traceKeyFromHex(id);
  if (!key) return json(res, 400, { error: `trace id: expected 32 hex digits, got "${id.slice(0, 40)}"` });
  // Memory, and the disk tier for what memory evicted (a header says so).
  const tiers = await BothTiers.read(engine);
  const found = tiers.trace(key);
  if (!found) return json(res, 404, { error: `trace ${id.toLowerCase()} is not in the store (never received, or dropped${engine.disk ? ' from memory and disk' : ''})` });
  const { store, trace } = found;
  if (found.tier !== 'memory') res.setHeader('x-loupe-tier', found.tier === 'both' ? 'memory, disk' : 'disk');
  const [, , part, spanId] = traceMatch!;
  if (part === 'backlinks') return json(res, 200, tiers.backLinks(trace));
  if (part === 'search') return json(res, 200, searchTraceSpans(store, trace, url.searchParams.get('q') ?? ''));
  if (spanId !== undefined) {
    const one = spanAsOtlp(store, trace, decodeURIComponent(spanId));
    return one ? json(res, 200, one) : json(res, 404, { error: `span ${spanId.slice(0, 40).toLowerCase()} is not in trace ${id.toLowerCase()}` });
  }
  if (req.headers.accept?.includes(TRACE_MEDIA_TYPE)) return binary(res, TRACE_MEDIA_TYPE, compactTraceBytes(store, trace));
  return writeTraceJson(store, trace, res);
}

function binary(res: ServerResponse, type: string, bytes: Uint8Array): void {
  res.writeHead(200, { 'content-type': type, 'content-length': bytes.byteLength, 'cache-control': 'no-store', vary: 'accept' });
  res.end(bytes);
}

/** The extension sends `loupe.scrapeTargets` here: a JSON array of URLs (or name=URL). */
async function putScrapeTargets(engine: Engine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1048576) return json(res, 413, { error: 'the target list is over 1 MB' });
    chunks.push(chunk as Buffer);
  }
  let targets: unknown;
  try {
    targets = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return json(res, 400, { error: 'body: expected a JSON array of URLs, such as ["http://127.0.0.1:9464/metrics"]' });
  }
  if (!Array.isArray(targets) || !targets.every((t) => typeof t === 'string')) {
    return json(res, 400, { error: 'body: expected a JSON array of URL strings' });
  }
  try {
    engine.scraper.setTargets(targets as string[]);
  } catch (err) {
    if (err instanceof ScrapeTargetError) return json(res, 400, { error: `body: ${err.message}` });
    throw err;
  }
  json(res, 200, engine.scraper.status());
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  json(res, 405, { error: `method not allowed; use ${allow}` });
}

export function json(res: ServerResponse, status: number, body: unknown | ApiError): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
