import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTracesJson } from '../json/traces.ts';
import type { Span } from '../../../protocol/otlp.ts';
import { expectedResource, expectedSpan } from '../testSupport/expectedModel.ts';
import { recordSpans, REMOTE_PARENT } from '../testSupport/sdkTelemetry.ts';
import { decodeSpan, decodeTracesRequest } from './traces.ts';
import { DecodeError, WireReader } from './wire.ts';

const sdkSpans = recordSpans();
const protobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans)!);
const json = Buffer.from(JsonTraceSerializer.serializeRequest(sdkSpans)!).toString('utf8');

function allSpans(spans: Span[][]): Map<string, Span> {
  return new Map(spans.flat().map((s) => [s.spanId!, s]));
}

describe('decodeTracesRequest against the SDK protobuf encoder', () => {
  const decoded = decodeTracesRequest(protobuf);
  const resourceSpans = decoded.resourceSpans!;
  const bySpanId = allSpans(resourceSpans.flatMap((rs) => rs.scopeSpans!.map((ss) => ss.spans!)));

  it('decodes every span exactly as the SDK recorded it', () => {
    assert.equal(bySpanId.size, sdkSpans.length);
    for (const sdkSpan of sdkSpans) {
      assert.deepEqual(bySpanId.get(sdkSpan.spanContext().spanId), expectedSpan(sdkSpan), sdkSpan.name);
    }
  });

  it('keeps times to the nanosecond and every attribute kind', () => {
    const root = [...bySpanId.values()].find((s) => s.name === 'GET /checkout')!;
    assert.equal(root.startTimeUnixNano, '1700000000123456789');
    assert.equal(root.endTimeUnixNano, '1700000001987654321');
    assert.equal(root.kind, 2);
    assert.deepEqual(root.status, { code: 2, message: 'payment declined' });
    const attr = (key: string) => root.attributes!.find((kv) => kv.key === key)?.value;
    assert.deepEqual(attr('big.safe'), { intValue: '9007199254740991' });
    assert.deepEqual(attr('retry.delta'), { intValue: '-3' });
    assert.deepEqual(attr('load'), { doubleValue: 0.75 });
    assert.deepEqual(attr('cache.hit'), { boolValue: true });
    assert.deepEqual(attr('empty'), { stringValue: '' });
    assert.deepEqual(attr('utf8'), { stringValue: 'ünïcødé ✓ 🚀' });
    assert.deepEqual(attr('flags'), { arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } });
    assert.equal(root.links![0].traceState, 'vendor=abc,other=x');
  });

  it('sets the is_remote span flags for a span with a remote parent', () => {
    const consumer = [...bySpanId.values()].find((s) => s.name === 'process order')!;
    assert.equal(consumer.parentSpanId, REMOTE_PARENT.spanId);
    assert.equal(consumer.flags, 0x301);
  });

  it('carries the dropped counts', () => {
    const overflow = [...bySpanId.values()].find((s) => s.name === 'overflow')!;
    assert.equal(overflow.droppedAttributesCount, 4);
    assert.equal(overflow.droppedEventsCount, 2);
    assert.equal(overflow.droppedLinksCount, 1);
  });

  it('decodes resource and scope', () => {
    assert.equal(resourceSpans.length, 1);
    assert.deepEqual(resourceSpans[0].resource, expectedResource(sdkSpans[0].resource));
    const scopes = resourceSpans[0].scopeSpans!.map((ss) => [ss.scope, ss.schemaUrl]);
    assert.deepEqual(scopes, [
      [{ name: 'loupe.test', version: '1.0.0' }, 'https://opentelemetry.io/schemas/1.26.0'],
      [{ name: 'loupe.other' }, undefined],
    ]);
  });

  it('agrees exactly with the JSON decoding of the SDK JSON encoding', () => {
    assert.deepEqual(decodeTracesJson(json), decoded);
  });
});

describe('decodeSpan', () => {
  it('decodes one span from its bytes inside a larger buffer', () => {
    // Locate the first span's bytes: request → resource_spans → scope_spans → spans.
    const r = new WireReader(protobuf);
    let span: Span | undefined;
    for (let level = 0; level < 3; level++) {
      while (r.tag() >>> 3 !== (level === 0 ? 1 : 2)) r.skip(2);
      const end = r.delimitedEnd();
      if (level === 2) span = decodeSpan(protobuf, r.pos, end);
    }
    const first = decodeTracesRequest(protobuf).resourceSpans![0].scopeSpans![0].spans![0];
    assert.deepEqual(span, first);
  });

  it('does not check id lengths (the ingest layer rejects bad spans one by one)', () => {
    const bytes = Buffer.from([0x0a, 0x03, 0xab, 0xcd, 0xef, 0x12, 0x01, 0x01]);
    assert.deepEqual(decodeSpan(bytes, 0, bytes.length), { traceId: 'abcdef', spanId: '01' });
  });

  it('names the field sent with a wrong wire type', () => {
    const nameAsVarint = Buffer.from([0x28, 0x01]); // field 5 (name) with wire type 0
    assert.throws(() => decodeSpan(nameAsVarint, 0, 2), { name: 'DecodeError', message: /Span\.name: unexpected wire type 0/ });
    const startAsLen = Buffer.from([0x3a, 0x00]); // field 7 (start_time_unix_nano) as bytes
    assert.throws(() => decodeSpan(startAsLen, 0, 2), /Span\.start_time_unix_nano/);
  });

  it('skips unknown fields of every wire type', () => {
    const bytes = Buffer.from([
      0xf8, 0x01, 0x05, // field 31 varint
      0xf9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, // field 31 fixed64
      0xfa, 0x01, 0x02, 0xaa, 0xbb, // field 31 bytes
      0xfd, 0x01, 1, 2, 3, 4, // field 31 fixed32
      0x2a, 0x02, 0x6f, 0x6b, // name "ok"
    ]);
    assert.deepEqual(decodeSpan(bytes, 0, bytes.length), { name: 'ok' });
  });

  it('rejects a truncated span with a DecodeError', () => {
    const bytes = Buffer.from([0x2a, 0x05, 0x6f, 0x6b]); // name claims 5 bytes, has 2
    assert.throws(() => decodeSpan(bytes, 0, bytes.length), DecodeError);
    assert.throws(() => decodeTracesRequest(protobuf.subarray(0, protobuf.length - 3)), DecodeError);
  });
});
