// Starts the engine's listeners: OTLP/HTTP plus the API on one port, OTLP/gRPC on
// another. Used by the command line (main.ts), the tests and the benchmark.

import { createServer, type Server } from 'node:http';
import { CLIENT_LIMITS, HttpLifecycle, httpServerOptions, type ClientLimits } from './clientLimits.ts';
import type { AddressInfo } from 'node:net';
import { corsForOtlp, refusal } from './api/requestGuard.ts';
import { createApiHandler } from './api/router.ts';
import { filesOf } from './files/fileRoutes.ts';
import { MIN_PROFILE_UPLOAD_BYTES } from './api/profileRoutes.ts';
import type { EngineConfig } from './config.ts';
import { Engine } from './engine.ts';
import type { ReceiverObserver } from './receivers/observer.ts';
import { apiKeyCheck } from './receivers/apiKey.ts';
import { startOtlpGrpc } from './receivers/otlpGrpc.ts';
import { createOtlpHttpHandler } from './receivers/otlpHttp.ts';
import { DEFAULT_DISK_BUDGET, DEFAULT_RETENTION_HOURS, openDiskTier, reloadInBackground } from './disk/openDiskTier.ts';
import { Admission, ADMISSION_LIMITS, type AdmissionLimits } from './receivers/admission.ts';
import { capConnections, CONNECTION_LIMITS, type ConnectionLimits } from './connectionLimits.ts';

export interface RunningEngine {
  engine: Engine;
  httpUrl: string;
  grpcAddress: string;
  httpPort: number;
  grpcPort: number;
  close(): Promise<void>;
}

/** A listener could not start: says which port and what to do. */
export class ListenError extends Error {
  override name = 'ListenError';
}

export type ServerConfig = Pick<EngineConfig, 'host' | 'grpcPort' | 'httpPort' | 'memoryBudgetBytes' | 'maxBodyBytes'> & Partial<Pick<EngineConfig, 'allowedHosts' | 'scrapeTargets' | 'scrapeIntervalMs' | 'dataDir' | 'diskBudgetBytes' | 'retentionHours' | 'forward' | 'corsOrigins' | 'apiKey' | 'maxInFlightBytes' | 'maxConnections'>> & { clientLimits?: ClientLimits; admissionLimits?: Partial<AdmissionLimits>; connectionLimits?: Partial<ConnectionLimits> };

export async function startEngine(config: ServerConfig): Promise<RunningEngine> {
  const engine = new Engine({ memoryBudgetBytes: config.memoryBudgetBytes, scrapeIntervalMs: config.scrapeIntervalMs || undefined });
  if (config.dataDir) openDiskTier(engine, config.dataDir, { budgetBytes: config.diskBudgetBytes || DEFAULT_DISK_BUDGET, retentionHours: config.retentionHours || DEFAULT_RETENTION_HOURS });
  const observer: ReceiverObserver = {
    onRequest: (r) => {
      engine.selfMetrics.request(r.signal, r.transport, String(r.status), r.seconds);
      if (r.refusal) engine.refused(r.signal, r.transport, r.refusal);
    },
  };
  const apiKey = config.apiKey ? apiKeyCheck(config.apiKey) : undefined;
  // Bodies in flight are memory the budget does not count: a small budget gets a small bound.
  const inFlight = config.maxInFlightBytes || Math.min(ADMISSION_LIMITS.maxInFlightBytes, Math.floor(config.memoryBudgetBytes / 4));
  const admission = new Admission({ ...ADMISSION_LIMITS, maxInFlightBytes: inFlight, ...config.admissionLimits });
  const connections: ConnectionLimits = { ...CONNECTION_LIMITS, ...(config.maxConnections && { maxConnections: config.maxConnections }), ...config.connectionLimits };
  const otlp = createOtlpHttpHandler(engine, { maxBodyBytes: config.maxBodyBytes, apiKey, admission }, observer);
  const api = createApiHandler(engine, { maxProfileBytes: Math.max(config.maxBodyBytes, MIN_PROFILE_UPLOAD_BYTES) });
  const guard = { host: config.host, allowedHosts: config.allowedHosts ?? [], corsOrigins: config.corsOrigins ?? [] };
  const limits = config.clientLimits ?? CLIENT_LIMITS;
  const lifecycle = new HttpLifecycle(limits);
  const http = createServer(httpServerOptions(limits), lifecycle.listener((req, res) => {
    const refused = refusal(req, guard);
    if (refused) {
      res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: refused }));
      return;
    }
    if (corsForOtlp(req, res, guard)) return;
    if (!otlp(req, res)) api(req, res);
  }));
  capConnections(http, connections.maxConnections, () => engine.selfMetrics.refusedConnection('http'));
  const httpPort = await listen(http, config.host, config.httpPort, 'OTLP/HTTP and API', '--http-port', 'LOUPE_HTTP_PORT');
  let grpc;
  try {
    grpc = await startOtlpGrpc(engine, { host: config.host, port: config.grpcPort, maxMessageBytes: config.maxBodyBytes, apiKey, limits, admission, connections, onConnectionRefused: () => engine.selfMetrics.refusedConnection('grpc') }, observer);
  } catch (err) {
    admission.stop();
    http.close();
    const taken = /already in use/.test((err as Error).message) ? ' Is another collector running?' : '';
    throw new ListenError(`${(err as Error).message}.${taken} Choose another port with --grpc-port (or LOUPE_GRPC_PORT); 0 picks a free one.`);
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const httpUrl = `http://${host}:${httpPort}`;
  const grpcAddress = `${host}:${grpc.port}`;
  engine.endpoints = { http: httpUrl, grpc: `http://${grpcAddress}` };
  if (config.scrapeTargets?.length) engine.scraper.setTargets(config.scrapeTargets);
  if (config.forward) engine.forwarder.configure(config.forward);
  // Listening first: the last session's data comes back into memory while the engine answers.
  reloadInBackground(engine);
  let closing: Promise<void> | undefined;
  const close = () => closing ??= (async () => {
    engine.events.close();
    admission.stop();
    engine.textIndexer.stop();
    engine.logTextIndexer.stop();
    engine.scraper.stop();
    engine.forwarder.close();
    filesOf(engine).closeAll();
    await Promise.all([lifecycle.close(http), grpc.close()]);
    await engine.disk?.close();
  })();
  engine.stop = () => void close();
  return { engine, httpUrl, grpcAddress, httpPort, grpcPort: grpc.port, close };
}

function listen(server: Server, host: string, port: number, what: string, flag: string, env: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message;
      reject(new ListenError(`cannot listen for ${what} on ${host}:${port}: ${why}. Choose another port with ${flag} (or ${env}); 0 picks a free one.`));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
