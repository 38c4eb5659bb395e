// Random and mutated input must either decode or fail with a DecodeError: never another
// exception, a hang or a stack overflow. The generator is seeded so failures reproduce.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { decodeLogsJson } from './json/logs.ts';
import { decodeMetricsJson } from './json/metrics.ts';
import { decodeTracesJson } from './json/traces.ts';
import { decodeLogsRequest } from './protobuf/logs.ts';
import { decodeMetricsRequest } from './protobuf/metrics.ts';
import { decodeTracesRequest } from './protobuf/traces.ts';
import { DecodeError } from './protobuf/wire.ts';
import { mutate, random } from './testSupport/mutation.ts';
import { recordLogs, recordMetrics, recordSpans } from './testSupport/sdkTelemetry.ts';

/** Returns whether the input was rejected; fails the test on any error but DecodeError. */
function decodesOrRejects(decode: () => unknown, label: string): boolean {
  try {
    decode();
    return false;
  } catch (err) {
    assert.ok(err instanceof DecodeError, `${label}: ${err instanceof Error ? err.stack : String(err)}`);
    return true;
  }
}

describe('fuzzing the decoders', () => {
  it('protobuf decoders only ever succeed or throw DecodeError', async () => {
    const inputs: [string, Buffer, (b: Buffer) => unknown][] = [
      ['traces', Buffer.from(ProtobufTraceSerializer.serializeRequest(recordSpans())!), decodeTracesRequest],
      ['logs', Buffer.from(ProtobufLogsSerializer.serializeRequest(recordLogs())!), decodeLogsRequest],
      ['metrics', Buffer.from(ProtobufMetricsSerializer.serializeRequest(await recordMetrics())!), decodeMetricsRequest],
    ];
    const rand = random(0x10c5e);
    let rejected = 0;
    for (const [name, valid, decode] of inputs) {
      for (let i = 0; i < 500; i++) {
        const input = mutate(valid, rand);
        if (decodesOrRejects(() => decode(input), `${name} #${i}`)) rejected++;
      }
    }
    assert.ok(rejected > 100, 'the mutations should produce plenty of invalid input');
  });

  it('JSON decoders only ever succeed or throw DecodeError', async () => {
    const inputs: [string, string, (t: string) => unknown][] = [
      ['traces', Buffer.from(JsonTraceSerializer.serializeRequest(recordSpans())!).toString(), decodeTracesJson],
      ['logs', Buffer.from(JsonLogsSerializer.serializeRequest(recordLogs())!).toString(), decodeLogsJson],
      ['metrics', Buffer.from(JsonMetricsSerializer.serializeRequest(await recordMetrics())!).toString(), decodeMetricsJson],
    ];
    const rand = random(0x15011);
    const tokens = ['"', '{', '}', '[', ']', ',', ':', '0', '-', '1e999', 'null', 'true', '"x"', '12345678901234567890', '\\'];
    for (const [name, valid, decode] of inputs) {
      for (let i = 0; i < 200; i++) {
        const at = Math.floor(rand() * valid.length);
        const cut = Math.floor(rand() * 8);
        const token = tokens[Math.floor(rand() * tokens.length)];
        const input = valid.slice(0, at) + token + valid.slice(at + cut);
        decodesOrRejects(() => decode(input), `${name} #${i}`);
      }
    }
  });
});
