// OTLP/gRPC receiver: the TraceService, LogsService, MetricsService and ProfilesService Export methods.
// Messages stay raw bytes (identity serializers) so the same protobuf decoder behind
// ingest serves both transports; grpc-js does framing, gzip and the size limit.

import * as grpc from '@grpc/grpc-js';
import type * as http2 from 'node:http2';
import { CLIENT_LIMITS, limitHttp2Clients, type ClientLimits } from '../clientLimits.ts';
import type { ExportResult, Ingest, Signal } from '../ingest/ingest.ts';
import { API_KEY_HEADER, missingKeyMessage, type ApiKeyCheck } from './apiKey.ts';
import { ReceiverError, toFailure } from './errors.ts';
import { encodeExportResponse } from './exportResponse.ts';
import { notifyObserver, secondsSince, type ReceiverObserver } from './observer.ts';
import { isRefusal, type Admission } from './admission.ts';
import { retryTrailers } from './retryInfo.ts';
import { capConnections, CONNECTION_LIMITS, type ConnectionLimits } from '../connectionLimits.ts';

export interface OtlpGrpcOptions {
  host: string;
  /** 0 picks a free port; the real one is in the result. */
  port: number;
  /** Largest request message accepted after decompression; larger ones get RESOURCE_EXHAUSTED. */
  maxMessageBytes: number;
  /** Set when exports must carry the API key in their metadata (`--api-key`). */
  apiKey?: ApiKeyCheck;
  /** Bounds on slow clients (CLIENT_LIMITS unless given). */
  limits?: ClientLimits;
  /** Backpressure: exports are refused with UNAVAILABLE and RetryInfo when the engine is behind. */
  admission?: Admission;
  /** Open connections and concurrent calls per connection (CONNECTION_LIMITS unless given). */
  connections?: ConnectionLimits;
  /** Told of each connection closed at once because `connections.maxConnections` were open. */
  onConnectionRefused?: () => void;
}

export interface OtlpGrpcListener {
  port: number;
  close(): Promise<void>;
}

const SERVICE_BY_SIGNAL: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  profiles: 'opentelemetry.proto.collector.profiles.v1development.ProfilesService',
};

// In-flight exports get this long to finish on close before their calls are cancelled.
const SHUTDOWN_GRACE_MS = 2000;

export async function startOtlpGrpc(
  ingest: Ingest,
  opts: OtlpGrpcOptions,
  observer?: ReceiverObserver,
): Promise<OtlpGrpcListener> {
  const server = new grpc.Server({
    // grpc-js checks this after decompression too, so a gzip bomb is refused unread.
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    // Pings find peers that vanished without closing (a killed container, a sleeping laptop).
    'grpc.keepalive_time_ms': 120_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.max_concurrent_streams': (opts.connections ?? CONNECTION_LIMITS).streamsPerConnection,
    // Channelz (grpc-js's call and socket introspection) is read by nothing here, and it
    // stamps and counts every call and message.
    'grpc.enable_channelz': 0,
  });
  widenFlowControl(server);
  for (const signal of Object.keys(SERVICE_BY_SIGNAL) as Signal[]) {
    server.addService(exportServiceDefinition(signal), { Export: exportHandler(signal, ingest, observer, opts.apiKey, opts.admission) });
  }
  const address = `${opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, boundPort) => {
      if (err) reject(new Error(`cannot listen for OTLP/gRPC on ${address}: ${bindProblem(err.message, opts)}`));
      else resolve(boundPort);
    });
  });
  widenConnectionWindows(server);
  limitHttp2Clients((server as unknown as Http2Internals).http2Servers?.keys() ?? [], opts.limits ?? CLIENT_LIMITS);
  for (const http2Server of (server as unknown as Http2Internals).http2Servers?.keys() ?? []) {
    capConnections(http2Server, (opts.connections ?? CONNECTION_LIMITS).maxConnections, opts.onConnectionRefused);
  }
  return { port, close: () => shutdown(server) };
}

/**
 * HTTP/2 flow-control windows. With the protocol's default of 64 KiB a client sending
 * a 200 KiB export stalls for window updates several times per message, and ingest
 * sits idle (30% fewer spans/s in `npm run bench`). grpc-js has no option for them, so
 * they are set on its HTTP/2 server; otlpGrpc.test.ts checks a client sees them.
 */
export const FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

type Http2Internals = { commonServerOptions?: http2.ServerOptions; http2Servers?: Map<http2.Http2Server, unknown> };

/** Per-stream window, advertised in the server's SETTINGS (before binding). */
function widenFlowControl(server: grpc.Server): void {
  const options = (server as unknown as Http2Internals).commonServerOptions;
  if (options) options.settings = { ...options.settings, initialWindowSize: FLOW_CONTROL_WINDOW_BYTES };
}

/** Connection window, per session (after binding, when the HTTP/2 servers exist). */
function widenConnectionWindows(server: grpc.Server): void {
  for (const http2Server of (server as unknown as Http2Internals).http2Servers?.keys() ?? []) {
    http2Server.on('session', (session: http2.ServerHttp2Session) => session.setLocalWindowSize(FLOW_CONTROL_WINDOW_BYTES));
  }
}

function exportServiceDefinition(signal: Signal): grpc.ServiceDefinition {
  const identity = (bytes: Buffer): Buffer => bytes;
  const exportMethod: grpc.MethodDefinition<Buffer, Buffer> = {
    path: `/${SERVICE_BY_SIGNAL[signal]}/Export`,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
  return { Export: exportMethod };
}

function exportHandler(signal: Signal, ingest: Ingest, observer: ReceiverObserver | undefined, apiKey: ApiKeyCheck | undefined, admission: Admission | undefined): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    const body = call.request;
    try {
      if (apiKey) {
        const values = call.metadata.get(API_KEY_HEADER).map(String);
        const given = values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
        if (!apiKey(given)) throw new ReceiverError('unauthenticated', missingKeyMessage(given));
      }
      // A call whose client gave up (deadline passed) is not stored: its retry will be.
      if (call.cancelled) throw new ReceiverError('client-closed', 'the client cancelled the call before it was stored');
      const ticket = admission?.admit(body.length);
      if (ticket && isRefusal(ticket)) {
        callback({ code: grpc.status.UNAVAILABLE, details: ticket.message, metadata: retryTrailers(grpc.status.UNAVAILABLE, ticket.message, ticket.retryAfterSeconds) });
        notifyObserver(observer, {
          signal, transport: 'grpc', outcome: 'refused', status: grpc.status.UNAVAILABLE, refusal: ticket.reason,
          seconds: secondsSince(started), bodyBytes: 0, rejected: 0, message: ticket.message,
        });
        return;
      }
      let result: ExportResult;
      try {
        // Skipping ingest for an empty message matches OTLP/HTTP; it carries nothing to store.
        result = body.length === 0 ? { rejected: 0 } : ingest.export(signal, body, 'protobuf', 'grpc');
      } finally {
        ticket?.release();
      }
      callback(null, encodeExportResponse(signal, result, 'protobuf'));
      const partial = result.rejected > 0;
      notifyObserver(observer, {
        signal, transport: 'grpc', outcome: partial ? 'partial' : 'ok', status: grpc.status.OK,
        seconds: secondsSince(started), bodyBytes: body.length, rejected: partial ? result.rejected : 0,
        message: partial ? result.message : undefined,
      });
    } catch (err) {
      const failure = toFailure(err, signal);
      callback({ code: failure.grpc, details: failure.message });
      notifyObserver(observer, {
        signal, transport: 'grpc', outcome: 'error', status: failure.grpc,
        seconds: secondsSince(started), bodyBytes: body.length, rejected: 0, message: failure.message,
      });
    }
  };
}

/** grpc-js says "No address added out of total 1 resolved errors: [listen EADDRINUSE …]"; this says what it means. */
export function bindProblem(message: string, opts: Pick<OtlpGrpcOptions, 'host' | 'port'>): string {
  if (/EADDRINUSE/.test(message)) return `port ${opts.port} is already in use`;
  if (/EACCES/.test(message)) return `no permission to use port ${opts.port} (ports below 1024 need privileges)`;
  if (/EADDRNOTAVAIL|ENOTFOUND|EAI_/.test(message)) return `${opts.host} is not an address of this machine`;
  return message;
}

function shutdown(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
