// decode → encode → decode for the OTLP items that have an encoder (spans, log records).

import assert from 'node:assert/strict';
import { encodeLogRecord } from '../../src/engine/otlp/protobuf/encodeLogs.ts';
import { encodeSpan } from '../../src/engine/otlp/protobuf/encodeTraces.ts';
import { decodeLogRecord } from '../../src/engine/otlp/protobuf/logs.ts';
import { decodeSpan } from '../../src/engine/otlp/protobuf/traces.ts';
import type { LogsData, TracesData } from '../../src/protocol/otlp.ts';

/**
 * Each decoded span encodes and decodes back to itself. From OTLP/JSON the first
 * encoding may lose what protobuf cannot carry (a lone surrogate becomes U+FFFD, as
 * the store keeps spans as protobuf); from there on it must be stable.
 */
export function spansRoundTrip(data: TracesData, lossyFirst = false): void {
  for (const rs of data.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) {
    roundTrip(span, encodeSpan, decodeSpan, lossyFirst, 'span');
  }
}

export function logsRoundTrip(data: LogsData, lossyFirst = false): void {
  for (const rl of data.resourceLogs ?? []) for (const sl of rl.scopeLogs ?? []) for (const record of sl.logRecords ?? []) {
    roundTrip(record, encodeLogRecord, decodeLogRecord, lossyFirst, 'log record');
  }
}

function roundTrip<T>(item: T, encode: (t: T) => Buffer, decode: (b: Buffer, start: number, end: number) => T, lossyFirst: boolean, what: string): void {
  let bytes = encode(item);
  let decoded = decode(bytes, 0, bytes.length);
  if (lossyFirst) {
    item = decoded;
    bytes = encode(item);
    decoded = decode(bytes, 0, bytes.length);
  }
  assert.deepEqual(decoded, item, `${what}: decode → encode → decode is not stable`);
}
