// How many connections each listener keeps open at once, so that a flood of sockets (a
// runaway client, a port scanner, a load test gone wrong) costs a bounded amount of
// memory and file descriptors. A connection over the bound is closed as soon as it is
// accepted: HTTP clients see a reset, which OTLP exporters retry like any network error,
// and the engine counts it (loupe_refused_connections_total).

import type { Server } from 'node:net';

export interface ConnectionLimits {
  /** Open connections per listener (OTLP/HTTP with the API and UI; OTLP/gRPC). */
  maxConnections: number;
  /** Concurrent gRPC calls on one HTTP/2 connection; a client over it waits for a slot. */
  streamsPerConnection: number;
}

// An SDK holds one or a few connections; the UI one per open view plus its event
// stream. 512 is far above what a machine's apps need and far below the file limit.
export const CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 512, streamsPerConnection: 100 };

export function capConnections(server: Server, maxConnections: number, onRefused?: () => void): void {
  server.maxConnections = maxConnections;
  // Node emits 'drop' for each connection it closes at once for being over the bound.
  if (onRefused) server.on('drop', onRefused);
}
