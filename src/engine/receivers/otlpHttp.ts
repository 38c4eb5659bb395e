// OTLP/HTTP receiver: POST /v1/{traces,logs,metrics} and /v1development/profiles in protobuf or JSON, optionally
// gzip/deflate compressed. Only moves bytes; ingest decodes and stores them.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Encoding, ExportResult, Ingest, Signal } from '../ingest/ingest.ts';
import { ReceiverError, toFailure } from './errors.ts';
import { encodeExportResponse, encodeStatus } from './exportResponse.ts';
import { API_KEY_HEADER, missingKeyMessage, type ApiKeyCheck } from './apiKey.ts';
import { checkDeclaredLength, contentCoding, readRequestBody } from './httpBody.ts';
import { notifyObserver, secondsSince, type ReceiverObserver } from './observer.ts';
import { isRefusal, type Admission, type Refusal, type Ticket } from './admission.ts';

export interface OtlpHttpLimits {
  /** Largest body accepted, counted both as sent and after decompression. */
  maxBodyBytes: number;
  /** Set when exports must carry the API key (`--api-key`). */
  apiKey?: ApiKeyCheck;
  /** Backpressure: exports are refused with 429/503 and Retry-After when the engine is behind. */
  admission?: Admission;
}

const SIGNAL_BY_PATH: ReadonlyMap<string, Signal> = new Map([
  ['/v1/traces', 'traces'],
  ['/v1/logs', 'logs'],
  ['/v1/metrics', 'metrics'],
  ['/v1development/profiles', 'profiles'],
]);

const MEDIA_TYPE: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

// When we answer before the body is read (413, 415, 405...), the rest of the body is
// discarded for this long before the socket is closed. Closing at once with unread
// data makes the kernel send a reset that can destroy the response before the client
// reads it; this is the same trade-off as Go's net/http (and so the Collector).
const LINGER_MS = 500;

/** google.rpc.Code UNAVAILABLE, the status a refused export carries in its body. */
const GRPC_UNAVAILABLE = 14;

/**
 * Returns a request listener for the engine's HTTP server. It answers OTLP export
 * paths and returns true; for any other path it returns false without touching the
 * request, so the caller can route it elsewhere.
 */
export function createOtlpHttpHandler(
  ingest: Ingest,
  limits: OtlpHttpLimits,
  observer?: ReceiverObserver,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const signal = SIGNAL_BY_PATH.get(pathOf(req.url));
    if (!signal) return false;
    // handleExport answers every failure itself; this only guards against a throw while answering.
    handleExport(ingest, limits, observer, signal, req, res).catch(() => res.destroy());
    return true;
  };
}

async function handleExport(
  ingest: Ingest,
  limits: OtlpHttpLimits,
  observer: ReceiverObserver | undefined,
  signal: Signal,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = process.hrtime.bigint();
  const encoding = requestEncoding(req.headers['content-type']);
  let bodyBytes = 0;
  let ticket: Ticket | undefined;
  try {
    if (req.method !== 'POST') {
      throw new ReceiverError('method-not-allowed', `${req.method} is not allowed on ${pathOf(req.url)}: OTLP/HTTP exports use POST`);
    }
    const key = req.headers[API_KEY_HEADER];
    if (limits.apiKey && !limits.apiKey(key)) throw new ReceiverError('unauthenticated', missingKeyMessage(key));
    if (!encoding) {
      const given = req.headers['content-type'] ? `Content-Type "${req.headers['content-type']}"` : 'a request without Content-Type';
      throw new ReceiverError(
        'unsupported-media-type',
        `unsupported ${given}: send OTLP as application/x-protobuf or application/json`,
      );
    }
    const coding = contentCoding(req.headers['content-encoding']);
    const declared = checkDeclaredLength(req.headers['content-length'], limits.maxBodyBytes);
    const admitted = limits.admission?.admit(declared);
    if (admitted && isRefusal(admitted)) return refuse(req, res, observer, signal, encoding, started, admitted);
    ticket = admitted;
    const body = await readRequestBody(req, coding, limits.maxBodyBytes);
    bodyBytes = body.length;
    ticket?.grow(body.length - declared);
    // An empty body is an empty export request (valid protobuf, though not valid JSON):
    // the spec says to answer success.
    const result: ExportResult = body.length === 0 ? { rejected: 0 } : ingest.export(signal, body, encoding, 'http');
    reply(req, res, 200, encoding, encodeExportResponse(signal, result, encoding));
    const partial = result.rejected > 0;
    notifyObserver(observer, {
      signal, transport: 'http', outcome: partial ? 'partial' : 'ok', status: 200,
      seconds: secondsSince(started), bodyBytes, rejected: partial ? result.rejected : 0,
      message: partial ? result.message : undefined,
    });
  } catch (err) {
    const failure = toFailure(err, signal);
    if (failure.kind === 'client-closed') res.destroy();
    else {
      // Errors are answered in protobuf only to protobuf requests; JSON is the readable default.
      const headers = failure.kind === 'method-not-allowed' ? { Allow: 'POST' } : undefined;
      reply(req, res, failure.http, encoding ?? 'json', encodeStatus(failure.grpc, failure.message, encoding ?? 'json'), headers);
    }
    notifyObserver(observer, {
      signal, transport: 'http', outcome: 'error', status: failure.http,
      seconds: secondsSince(started), bodyBytes, rejected: 0, message: failure.message,
    });
  } finally {
    ticket?.release();
  }
}

/** Turns an export away unread: 429 or 503 with Retry-After, which OTLP exporters retry. */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  observer: ReceiverObserver | undefined,
  signal: Signal,
  encoding: Encoding,
  started: bigint,
  refusal: Refusal,
): void {
  reply(req, res, refusal.http, encoding, encodeStatus(GRPC_UNAVAILABLE, refusal.message, encoding), { 'Retry-After': String(refusal.retryAfterSeconds) });
  notifyObserver(observer, {
    signal, transport: 'http', outcome: 'refused', status: refusal.http, refusal: refusal.reason,
    seconds: secondsSince(started), bodyBytes: 0, rejected: 0, message: refusal.message,
  });
}

function reply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  encoding: Encoding,
  body: Buffer,
  headers?: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Type': MEDIA_TYPE[encoding], 'Content-Length': body.length });
  res.end(body);
  if (!req.complete) discardRestOfBody(req, res);
}

/** Drains what the client is still sending without keeping it, and closes the connection if it goes on too long. */
function discardRestOfBody(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.once('finish', () => {
    if (req.complete) return;
    const socket = req.socket;
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    // Both listeners go once either fires: a kept-alive socket serves many requests, and
    // each early answer would otherwise leave one more 'close' listener on it.
    const stop = (): void => {
      clearTimeout(timer);
      req.off('end', stop);
      socket.off('close', stop);
    };
    req.once('end', stop);
    socket.once('close', stop);
  });
}

/** "Application/JSON; charset=utf-8" → json: the spec names the media types; parameters and case don't matter. */
function requestEncoding(contentType: string | undefined): Encoding | undefined {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

function pathOf(url: string | undefined): string {
  const end = (url ?? '').search(/[?#]/);
  return end === -1 ? (url ?? '') : (url ?? '').slice(0, end);
}
