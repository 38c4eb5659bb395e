// What the receivers tell the rest of the engine about each export request, so the
// server can count and time them (Prometheus) without the transports knowing about it.

import type { Signal, Transport } from '../ingest/ingest.ts';
import type { RefusalReason } from './admission.ts';

export type RequestOutcome = 'ok' | 'partial' | 'error' | 'refused';

export interface RequestReport {
  signal: Signal;
  transport: Transport;
  outcome: RequestOutcome;
  /** The HTTP status for OTLP/HTTP (499 when the client went away), the gRPC status code for OTLP/gRPC. */
  status: number;
  /** From the start of the request to the response being handed to the transport. */
  seconds: number;
  /** Decompressed bytes handed to ingest; 0 when the body never got that far. */
  bodyBytes: number;
  /** Items ingest rejected (the `rejected_*` of a partial success). */
  rejected: number;
  /** Set when backpressure turned the export away unread (outcome 'refused'). */
  refusal?: RefusalReason;
  /** Why the request failed or what a partial success rejected, as sent to the client. */
  message?: string;
}

export interface ReceiverObserver {
  onRequest(report: RequestReport): void;
}

/** Reports to the observer; a faulty observer must not turn a stored export into a failed one. */
export function notifyObserver(observer: ReceiverObserver | undefined, report: RequestReport): void {
  if (!observer) return;
  try {
    observer.onRequest(report);
  } catch {
    // Metrics are best effort.
  }
}

export function secondsSince(startedNs: bigint): number {
  return Number(process.hrtime.bigint() - startedNs) / 1e9;
}
