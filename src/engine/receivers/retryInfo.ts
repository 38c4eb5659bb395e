// How a refused OTLP/gRPC export tells the client when to send again. The OTLP spec has
// servers put a google.rpc.RetryInfo in the status details (`grpc-status-details-bin`),
// which the Collector's and the Go and Java SDKs' exporters read; grpc-js clients with a
// retry policy read `grpc-retry-pushback-ms` instead. Both are sent.

import { Metadata } from '@grpc/grpc-js';
import { ProtoWriter } from '../otlp/protobuf/writer.ts';
import { WireType } from '../otlp/protobuf/wire.ts';

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** Trailers for a refusal with `code` that asks the client to wait `seconds` before retrying. */
export function retryTrailers(code: number, message: string, seconds: number): Metadata {
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', encodeStatusWithRetryInfo(code, message, seconds));
  metadata.set('grpc-retry-pushback-ms', String(Math.round(seconds * 1000)));
  return metadata;
}

/** google.rpc.Status { code = 1; message = 2; details = 3 (Any { type_url = 1; value = 2 }) } with one RetryInfo. */
export function encodeStatusWithRetryInfo(code: number, message: string, seconds: number): Buffer {
  const w = new ProtoWriter(256);
  w.tag(1, WireType.Varint);
  w.int32(code);
  w.tag(2, WireType.LengthDelimited);
  w.string(message);
  w.message(3, () => {
    w.tag(1, WireType.LengthDelimited);
    w.string(RETRY_INFO_TYPE);
    // RetryInfo { google.protobuf.Duration retry_delay = 1 { int64 seconds = 1; int32 nanos = 2; } }
    w.message(2, () => w.message(1, () => {
      w.tag(1, WireType.Varint);
      w.uint32(Math.floor(seconds));
      const nanos = Math.round((seconds % 1) * 1e9);
      if (nanos) {
        w.tag(2, WireType.Varint);
        w.uint32(nanos);
      }
    }));
  });
  return w.finish();
}
