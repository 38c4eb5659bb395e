// Sends to an OTLP/gRPC upstream: the signal's Export method with the request bytes
// passed through untouched (identity serializers, as the receiver does). gRPC carries
// protobuf only, so requests that arrived as OTLP/JSON are re-encoded first.

import * as grpc from '@grpc/grpc-js';
import type { Encoding, Signal } from '../ingest/ingest.ts';
import { WireReader, WireType } from '../otlp/protobuf/wire.ts';
import type { ForwardOptions } from './forwardOptions.ts';
import { otlpJsonToProtobuf } from './jsonToProtobuf.ts';
import { readPartialSuccess } from './partialSuccess.ts';
import { SEND_TIMEOUT_MS, type SendOutcome, type Upstream } from './upstream.ts';

const SERVICE: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  profiles: 'opentelemetry.proto.collector.profiles.v1development.ProfilesService',
};

// The spec's retryable codes; RESOURCE_EXHAUSTED only when the server says when (RetryInfo).
const RETRYABLE = new Set([
  grpc.status.CANCELLED, grpc.status.DEADLINE_EXCEEDED, grpc.status.ABORTED,
  grpc.status.OUT_OF_RANGE, grpc.status.UNAVAILABLE, grpc.status.DATA_LOSS,
]);

const GZIP = 2; // grpc-js's compression algorithm number for gzip

const identity = (bytes: Buffer): Buffer => bytes;

export class GrpcUpstream implements Upstream {
  private readonly client: grpc.Client;
  private readonly target: string;

  constructor(private readonly options: ForwardOptions) {
    const url = new URL(options.endpoint);
    this.target = url.host;
    const credentials = url.protocol === 'https:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.client = new grpc.Client(this.target, credentials, {
      ...(options.gzip ? { 'grpc.default_compression_algorithm': GZIP } : {}),
      'grpc.max_send_message_length': -1,
    });
  }

  async send(signal: Signal, body: Buffer, encoding: Encoding): Promise<SendOutcome> {
    let message = body;
    if (encoding === 'json') {
      try {
        message = otlpJsonToProtobuf(signal, body);
      } catch (err) {
        return { kind: 'fail', error: `an OTLP/JSON ${signal} request could not be re-encoded as protobuf for gRPC: ${(err as Error).message}` };
      }
    }
    const metadata = new grpc.Metadata();
    for (const [name, value] of Object.entries(this.options.headers)) metadata.set(name, value);
    return new Promise<SendOutcome>((resolve) => {
      this.client.makeUnaryRequest(`/${SERVICE[signal]}/Export`, identity, identity, message, metadata,
        { deadline: Date.now() + SEND_TIMEOUT_MS },
        (err: grpc.ServiceError | null, answer?: Buffer) => {
          if (!err) {
            resolve({ kind: 'ok', ...readPartialSuccess(answer ?? Buffer.alloc(0), 'protobuf') });
            return;
          }
          const error = `${this.target}: ${grpc.status[err.code] ?? err.code} ${err.details}`.trim();
          const afterMs = retryDelayMs(err.metadata);
          if (RETRYABLE.has(err.code) || (err.code === grpc.status.RESOURCE_EXHAUSTED && afterMs !== undefined)) {
            resolve({ kind: 'retry', error, afterMs });
          } else {
            resolve({ kind: 'fail', error });
          }
        });
    });
  }

  close(): void {
    this.client.close();
  }
}

/** google.rpc.RetryInfo.retry_delay from the `grpc-status-details-bin` trailer, if the server sent one. */
export function retryDelayMs(metadata: grpc.Metadata | undefined): number | undefined {
  const details = metadata?.get('grpc-status-details-bin')[0];
  if (!Buffer.isBuffer(details)) return undefined;
  try {
    for (const any of fields(details, 3)) {
      const [typeUrl] = fields(any, 1);
      if (!typeUrl?.toString('utf8').endsWith('google.rpc.RetryInfo')) continue;
      const [value] = fields(any, 2);
      const [duration] = value ? fields(value, 1) : [];
      if (!duration) return 0;
      const r = WireReader.of(duration);
      let seconds = 0;
      let nanos = 0;
      while (!r.done) {
        const tag = r.tag();
        if (tag === ((1 << 3) | WireType.Varint)) seconds = Number(r.int64String());
        else if (tag === ((2 << 3) | WireType.Varint)) nanos = r.int32();
        else r.skip(tag & 7);
      }
      return seconds * 1000 + Math.round(nanos / 1e6);
    }
  } catch {
    // an unreadable trailer is as if there were none
  }
  return undefined;
}

/** The length-delimited fields numbered `field` of a message. */
function fields(message: Buffer, field: number): Buffer[] {
  const out: Buffer[] = [];
  const r = WireReader.of(message);
  while (!r.done) {
    const tag = r.tag();
    if (tag === ((field << 3) | WireType.LengthDelimited)) out.push(r.bytes());
    else r.skip(tag & 7);
  }
  return out;
}
