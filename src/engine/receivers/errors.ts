// Every way an OTLP export can fail, and the one table that says what each failure is
// called on the wire: an HTTP status for OTLP/HTTP and a gRPC code for OTLP/gRPC.

import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Signal } from '../ingest/ingest.ts';
import { DecodeError } from '../otlp/protobuf/wire.ts';

export type FailureKind =
  | 'bad-data'
  | 'too-large'
  | 'unsupported-media-type'
  | 'method-not-allowed'
  | 'client-closed'
  | 'unauthenticated'
  | 'internal';

interface WireStatus {
  http: number;
  grpc: GrpcStatus;
}

// The spec's choices: bad data is permanent (400 / INVALID_ARGUMENT, never retried);
// an oversized request is 413 / RESOURCE_EXHAUSTED without RetryInfo, so also not
// retried. An unexpected exception in ingest is a bug that a retry would only repeat,
// hence 500 / INTERNAL (both non-retryable) rather than 503 / UNAVAILABLE.
const WIRE_STATUS: Record<FailureKind, WireStatus> = {
  'bad-data': { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  'too-large': { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  'unsupported-media-type': { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  'method-not-allowed': { http: 405, grpc: GrpcStatus.UNIMPLEMENTED },
  // 499 is nginx's "client closed request"; nothing is sent, it only labels metrics.
  'client-closed': { http: 499, grpc: GrpcStatus.CANCELLED },
  'unauthenticated': { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  'internal': { http: 500, grpc: GrpcStatus.INTERNAL },
};

/** A failure the receivers detect themselves (as opposed to one ingest throws). */
export class ReceiverError extends Error {
  override name = 'ReceiverError';
  constructor(readonly kind: FailureKind, message: string) {
    super(message);
  }
}

export interface Failure extends WireStatus {
  kind: FailureKind;
  message: string;
}

/** Classifies anything thrown while receiving or ingesting `signal` into a wire status and a message. */
export function toFailure(err: unknown, signal: Signal): Failure {
  if (err instanceof ReceiverError) return failure(err.kind, err.message);
  if (err instanceof DecodeError) {
    return failure('bad-data', `cannot decode the OTLP ${signal} request: ${err.message}`);
  }
  const detail = err instanceof Error ? err.message : String(err);
  return failure('internal', `Loupe failed to store the ${signal} it received: ${detail}`);
}

function failure(kind: FailureKind, message: string): Failure {
  return { kind, message, ...WIRE_STATUS[kind] };
}
