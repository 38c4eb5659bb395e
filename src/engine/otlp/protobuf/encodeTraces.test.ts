import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Span } from '../../../protocol/otlp.ts';
import { recordSpans } from '../testSupport/sdkTelemetry.ts';
import { encodeSpan } from './encodeTraces.ts';
import { decodeSpan, decodeTracesRequest } from './traces.ts';

const roundTrip = (span: Span) => {
  const bytes = encodeSpan(span);
  return decodeSpan(bytes, 0, bytes.length);
};

const everyField: Span = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceState: 'rojo=00f067aa0ba902b7',
  parentSpanId: 'b7ad6b7169203331',
  flags: 0xffffffff,
  name: 'GET /api/ünïcødé 🚀',
  kind: 5,
  startTimeUnixNano: '1700000000123456789',
  endTimeUnixNano: '18446744073709551615',
  attributes: [
    { key: 'str', value: { stringValue: 'x' } },
    { key: 'empty', value: { stringValue: '' } },
    { key: 'bool', value: { boolValue: false } },
    { key: 'int', value: { intValue: '-9223372036854775808' } },
    { key: 'int.max', value: { intValue: '9223372036854775807' } },
    { key: 'int.small', value: { intValue: '-1' } },
    { key: 'double', value: { doubleValue: -0.5 } },
    { key: 'nan', value: { doubleValue: NaN } },
    { key: 'bytes', value: { bytesValue: 'AAEC+v8=' } },
    { key: 'array', value: { arrayValue: { values: [{ intValue: '1' }, {}, { arrayValue: {} }] } } },
    { key: 'map', value: { kvlistValue: { values: [{ key: 'inner', value: { kvlistValue: {} } }, { key: 'no value' }] } } },
    { key: 'unset' },
    { key: '', value: {} },
  ],
  droppedAttributesCount: 1,
  events: [
    { timeUnixNano: '1700000000500000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'Error' } }], droppedAttributesCount: 2 },
    {},
  ],
  droppedEventsCount: 3,
  links: [
    { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceState: 'a=b', attributes: [{ key: 'k', value: { boolValue: true } }], droppedAttributesCount: 4, flags: 0x301 },
    {},
  ],
  droppedLinksCount: 5,
  status: { message: 'boom', code: 2 },
};

describe('encodeSpan', () => {
  it('round-trips a span with every field through decodeSpan', () => {
    assert.deepEqual(roundTrip(everyField), everyField);
  });

  it('round-trips an empty span and an empty status', () => {
    assert.deepEqual(roundTrip({}), {});
    assert.deepEqual(roundTrip({ status: {} }), { status: {} });
  });

  it('handles strings and nested messages whose lengths need multi-byte varints', () => {
    const long = 'x'.repeat(200);
    const huge = 'é'.repeat(70_000); // 140,000 bytes: a three-byte length
    const span: Span = {
      name: long,
      attributes: [{ key: huge, value: { arrayValue: { values: [{ stringValue: long }, { stringValue: huge }] } } }],
      events: [{ name: huge }],
    };
    assert.deepEqual(roundTrip(span), span);
  });

  it('re-encodes every span the SDK produced without loss', () => {
    const request = decodeTracesRequest(Buffer.from(ProtobufTraceSerializer.serializeRequest(recordSpans())!));
    const spans = request.resourceSpans!.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!));
    assert.ok(spans.length > 3);
    for (const span of spans) assert.deepEqual(roundTrip(span), span);
  });

  it('returns an independent, exactly sized buffer each time', () => {
    const a = encodeSpan({ name: 'a' });
    const b = encodeSpan({ name: 'b' });
    assert.deepEqual([...a], [0x2a, 0x01, 0x61]);
    assert.deepEqual([...b], [0x2a, 0x01, 0x62]);
  });
});
