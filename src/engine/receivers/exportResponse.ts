// The bodies the receivers answer with, shared by OTLP/HTTP and OTLP/gRPC:
// Export<Signal>ServiceResponse on success and google.rpc.Status on failure, in
// binary protobuf or in the OTLP/JSON mapping (int64 as decimal strings, lowerCamelCase).

import type { Encoding, ExportResult, Signal } from '../ingest/ingest.ts';

// Field 1 of Export<Signal>PartialSuccess, named per signal.
const REJECTED_FIELD: Record<Signal, string> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
  profiles: 'rejectedProfiles',
};

// The spec makes servers bound their responses (4 MiB recommended) and allows trimming
// diagnostic text to do so; a message this long is already unreadable in an SDK log.
const MAX_MESSAGE_CHARS = 4096;

/**
 * Export<Signal>ServiceResponse. `partial_success` is set only when something was
 * rejected: the spec requires it unset on full success, so an empty message (zero
 * bytes, or `{}`) is the normal answer.
 */
export function encodeExportResponse(signal: Signal, result: ExportResult, encoding: Encoding): Buffer {
  const rejected = result.rejected > 0 ? Math.floor(result.rejected) : 0;
  const message = trimMessage(result.message ?? '');
  if (encoding === 'json') {
    if (rejected === 0) return Buffer.from('{}');
    const partialSuccess: Record<string, string> = { [REJECTED_FIELD[signal]]: String(rejected) };
    if (message) partialSuccess.errorMessage = message;
    return Buffer.from(JSON.stringify({ partialSuccess }));
  }
  if (rejected === 0) return Buffer.alloc(0);
  const partial = new ProtoWriter().varint(1, rejected).string(2, message).finish();
  return new ProtoWriter().bytes(1, partial).finish();
}

/** google.rpc.Status { int32 code = 1; string message = 2; } — the body of every OTLP/HTTP error. */
export function encodeStatus(code: number, message: string, encoding: Encoding): Buffer {
  const trimmed = trimMessage(message);
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message: trimmed }));
  return new ProtoWriter().varint(1, code).string(2, trimmed).finish();
}

function trimMessage(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/** Just enough proto3 writing for the two small messages above; default values are omitted. */
class ProtoWriter {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number): this {
    if (value === 0) return this;
    this.parts.push(varintBytes(field << 3), varintBytes(value));
    return this;
  }

  string(field: number, value: string): this {
    return value ? this.bytes(field, Buffer.from(value, 'utf8')) : this;
  }

  bytes(field: number, value: Buffer): this {
    this.parts.push(varintBytes((field << 3) | 2), varintBytes(value.length), value);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Non-negative integers up to 2^53; division instead of shifts because JS shifts are 32-bit. */
function varintBytes(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
