// How long a client may take, and what a client sees while the engine stops. A client
// that trickles its headers or body (by bug or on purpose) is cut off after a bounded
// time, without holding anyone else up (Node serves every connection from one event
// loop, so a slow one costs a socket and a timer, never a thread). On shutdown the
// listeners close at once, so the ports are free for the next engine; requests already
// being served get a grace period to finish, and any that arrive meanwhile on an open
// connection get 503 with Retry-After, which OTLP exporters retry.

import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from 'node:http';
import { constants, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';

export interface ClientLimits {
  /** Time to send the request line and headers (HTTP/1.1), or the HTTP/2 preface and settings. */
  headersMs: number;
  /** Time to send a whole request, headers and body. */
  requestMs: number;
  /** How long in-flight requests may still run once the engine stops. */
  shutdownGraceMs: number;
}

// A 20 MB OTLP batch or a 500 MB profile crosses loopback in well under a second; a
// minute leaves room for a paused debugger or a loaded machine.
export const CLIENT_LIMITS: ClientLimits = { headersMs: 10_000, requestMs: 60_000, shutdownGraceMs: 2_000 };

export function httpServerOptions(limits: ClientLimits): ServerOptions {
  return {
    headersTimeout: limits.headersMs,
    requestTimeout: limits.requestMs,
    // Node checks the two timeouts above this often (30 s by default).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersMs / 4))),
    keepAliveTimeout: 65_000,
  };
}

/** Counts requests being served, turns away new ones while stopping, and stops gracefully. */
export class HttpLifecycle {
  private stopping = false;
  private inFlight = 0;
  private drained: (() => void) | undefined;

  constructor(private readonly limits: ClientLimits) {}

  listener(serve: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      if (this.stopping) return unavailable(res);
      this.inFlight++;
      res.once('close', () => {
        if (--this.inFlight === 0) this.drained?.();
      });
      serve(req, res);
    };
  }

  /** Frees the port now; resolves once every connection is closed. */
  async close(server: Server): Promise<void> {
    this.stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.limits.shutdownGraceMs);
        this.drained = () => { clearTimeout(timer); resolve(); };
      });
    }
    server.closeAllConnections();
    await closed;
  }
}

function unavailable(res: ServerResponse): void {
  const body = JSON.stringify({ error: 'Loupe is shutting down; send again to the engine that replaces it' });
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'retry-after': '1', connection: 'close' });
  res.end(body);
}

/**
 * The same bounds for OTLP/gRPC, on grpc-js's HTTP/2 servers: a connection must finish
 * its preface and settings within `headersMs`, and each call must have sent its whole
 * message within `requestMs` (the stream is cancelled otherwise). Other calls and
 * connections go on.
 */
export function limitHttp2Clients(servers: Iterable<Http2Server>, limits: ClientLimits): void {
  for (const server of servers) {
    server.on('session', (session: ServerHttp2Session) => {
      const timer = setTimeout(() => session.destroy(), limits.headersMs);
      timer.unref();
      session.once('remoteSettings', () => clearTimeout(timer));
      session.once('close', () => clearTimeout(timer));
    });
    server.on('stream', (stream: ServerHttp2Stream) => {
      const timer = setTimeout(() => { if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL); }, limits.requestMs);
      timer.unref();
      // 'end' is the last byte of the request; the answer may take as long as it takes.
      stream.once('end', () => clearTimeout(timer));
      stream.once('close', () => clearTimeout(timer));
    });
  }
}
