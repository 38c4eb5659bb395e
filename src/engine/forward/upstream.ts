// One upstream send and what came of it, the same for OTLP/HTTP and OTLP/gRPC.

import type { Encoding, Signal } from '../ingest/ingest.ts';

export type SendOutcome =
  /** Delivered; `rejected` items were refused by the upstream (its partial_success). */
  | { kind: 'ok'; rejected: number; message?: string }
  /** Try again later (429, 502, 503, 504, UNAVAILABLE, a network error); `afterMs` from Retry-After. */
  | { kind: 'retry'; error: string; afterMs?: number }
  /** The upstream will never take this request (400, 401, 404, INVALID_ARGUMENT…). */
  | { kind: 'fail'; error: string };

export interface Upstream {
  send(signal: Signal, body: Buffer, encoding: Encoding): Promise<SendOutcome>;
  close(): void;
}

// A request that takes longer is treated as lost and retried.
export const SEND_TIMEOUT_MS = 10_000;

/** HTTP Retry-After: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
