import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Span, TracesData } from '../../../protocol/otlp.ts';
import { encodeSpan } from '../protobuf/encodeTraces.ts';
import { decodeSpan } from '../protobuf/traces.ts';
import { DecodeError, MAX_DEPTH } from '../protobuf/wire.ts';
import { decodeTracesJson } from './traces.ts';

const EXAMPLES = '/work/shared/reference/otlp/examples';

/** A request holding one span, given as the JSON text of the span object. */
const withSpan = (spanJson: string) => `{"resourceSpans":[{"scopeSpans":[{"spans":[${spanJson}]}]}]}`;
const onlySpan = (data: TracesData): Span => data.resourceSpans![0].scopeSpans![0].spans![0];

describe('decodeTracesJson', () => {
  it('decodes the specification example, lowercasing the uppercase hex ids', () => {
    const data = decodeTracesJson(readFileSync(`${EXAMPLES}/trace.json`, 'utf8'));
    assert.deepEqual(onlySpan(data), {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 2,
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: '1544712661000000000',
      attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
    });
    assert.deepEqual(data.resourceSpans![0].scopeSpans![0].scope, {
      name: 'my.library', version: '1.0.0',
      attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'some scope attribute' } }],
    });
  });

  it('keeps a 64-bit time given as a bare JSON number exact', () => {
    const span = onlySpan(decodeTracesJson(withSpan('{"startTimeUnixNano": 1700000000123456789, "endTimeUnixNano": 1700000000}')));
    assert.equal(span.startTimeUnixNano, '1700000000123456789');
    assert.equal(span.endTimeUnixNano, '1700000000');
  });

  it('accepts integers as numbers or strings and normalizes them', () => {
    const span = onlySpan(decodeTracesJson(withSpan(`{
      "kind": "3", "flags": 4294967295, "droppedAttributesCount": "007",
      "attributes": [
        {"key": "a", "value": {"intValue": -9223372036854775808}},
        {"key": "b", "value": {"intValue": "00042"}},
        {"key": "c", "value": {"intValue": 1e3}},
        {"key": "d", "value": {"doubleValue": "NaN"}},
        {"key": "e", "value": {"doubleValue": "-Infinity"}},
        {"key": "f", "value": {"doubleValue": "2.5e-3"}},
        {"key": "g", "value": {"bytesValue": "-_8"}}
      ]}`)));
    assert.deepEqual(span, {
      flags: 4294967295, kind: 3, droppedAttributesCount: 7,
      attributes: [
        { key: 'a', value: { intValue: '-9223372036854775808' } },
        { key: 'b', value: { intValue: '42' } },
        { key: 'c', value: { intValue: '1000' } },
        { key: 'd', value: { doubleValue: NaN } },
        { key: 'e', value: { doubleValue: -Infinity } },
        { key: 'f', value: { doubleValue: 0.0025 } },
        { key: 'g', value: { bytesValue: '+/8=' } }, // URL-safe, unpadded in; standard base64 out
      ],
    });
  });

  it('omits default values and ignores unknown, null and snake_case fields', () => {
    const span = onlySpan(decodeTracesJson(withSpan(`{
      "name": "", "kind": 0, "startTimeUnixNano": "0", "traceId": "", "attributes": [], "status": null,
      "span_id": "00f067aa0ba902b7", "futureField": {"x": [1, 2]}, "droppedLinksCount": null
    }`)));
    assert.deepEqual(span, {});
  });

  it('keeps an explicitly present empty status and oneof members at their defaults', () => {
    const span = onlySpan(decodeTracesJson(withSpan(
      '{"status": {"code": 0}, "attributes": [{"key": "z", "value": {"intValue": "0"}}, {"key": "s", "value": {"stringValue": ""}}]}',
    )));
    assert.deepEqual(span, {
      attributes: [{ key: 'z', value: { intValue: '0' } }, { key: 's', value: { stringValue: '' } }],
      status: {},
    });
  });

  it('treats __proto__ and constructor as ordinary attribute keys', () => {
    const span = onlySpan(decodeTracesJson(withSpan(`{"attributes": [
      {"key": "__proto__", "value": {"kvlistValue": {"values": [{"key": "polluted", "value": {"boolValue": true}}]}}},
      {"key": "constructor", "value": {"stringValue": "x"}}
    ], "__proto__": {"name": "injected"}}`)));
    assert.deepEqual(span.attributes!.map((kv) => kv.key), ['__proto__', 'constructor']);
    assert.equal(span.name, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(span), Object.prototype);
  });

  it('produces spans that encodeSpan and decodeSpan carry through unchanged', () => {
    const span = onlySpan(decodeTracesJson(withSpan(`{
      "traceId": "4BF92F3577B34DA6A3CE929D0E0E4736", "spanId": "00F067AA0BA902B7", "name": "x", "kind": 1,
      "startTimeUnixNano": 1700000000123456789, "endTimeUnixNano": "1700000000987654321",
      "events": [{"timeUnixNano": "1", "name": "e"}], "links": [{"traceId": "AB", "flags": 256}],
      "status": {"code": 1}, "attributes": [{"key": "k", "value": {"arrayValue": {"values": [{"bytesValue": "AQI="}]}}}]
    }`)));
    const bytes = encodeSpan(span);
    assert.deepEqual(decodeSpan(bytes, 0, bytes.length), span);
  });

  it('re-imports its own output written back with JSON.stringify', () => {
    const data = decodeTracesJson(readFileSync(`${EXAMPLES}/trace.json`, 'utf8'));
    assert.deepEqual(decodeTracesJson(JSON.stringify(data)), data);
  });
});

describe('decodeTracesJson errors', () => {
  const rejects = (text: string, message: string | RegExp) =>
    assert.throws(() => decodeTracesJson(text), (err) => {
      assert.ok(err instanceof DecodeError, `expected DecodeError, got ${String(err)}`);
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    });

  it('names the field path of a value of the wrong kind', () => {
    const spans = Array.from({ length: 4 }, (_, i) => (i === 3 ? '{"startTimeUnixNano": 1.5}' : '{}')).join(',');
    rejects(
      `{"resourceSpans":[{"scopeSpans":[{}, {"spans":[${spans}]}]}]}`,
      'resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano: expected an integer',
    );
    rejects(withSpan('{"startTimeUnixNano": "soon"}'), /spans\[0\]\.startTimeUnixNano: expected an integer/);
    rejects('{"resourceSpans": "all of them"}', 'resourceSpans: expected an array');
    rejects('{"resourceSpans": ["x"]}', 'resourceSpans[0]: expected an object');
    rejects('{"resourceSpans": [{"resource": []}]}', 'resourceSpans[0].resource: expected an object');
    rejects('[]', 'request: expected an object');
    rejects(withSpan('{"name": 5}'), /spans\[0\]\.name: expected a string/);
  });

  it('passes span ids that are not hex through, for ingest to reject that span alone', () => {
    const span = decodeTracesJson(withSpan('{"traceId": "S/kvNXezTaajzpKdDg5HNg==", "spanId": "ABC"}')).resourceSpans![0].scopeSpans![0].spans![0];
    assert.equal(span.traceId, 'S/kvNXezTaajzpKdDg5HNg==');
    assert.equal(span.spanId, 'ABC');
    rejects(withSpan('{"spanId": 12}'), /spans\[0\]\.spanId: expected an id in hex/);
  });

  it('rejects link ids that are not hex', () => {
    rejects(withSpan('{"links": [{"spanId": "zz"}]}'), /spans\[0\]\.links\[0\]\.spanId/);
  });

  it('rejects enums given by name, which OTLP/JSON forbids', () => {
    rejects(withSpan('{"kind": "SPAN_KIND_SERVER"}'), /spans\[0\]\.kind: expected an integer/);
    rejects(withSpan('{"status": {"code": "STATUS_CODE_ERROR"}}'), /spans\[0\]\.status\.code: expected an integer/);
  });

  it('rejects out-of-range integers', () => {
    rejects(withSpan('{"startTimeUnixNano": "18446744073709551616"}'), /startTimeUnixNano: integer out of range/);
    rejects(withSpan('{"endTimeUnixNano": -1}'), /endTimeUnixNano: integer out of range/);
    rejects(withSpan('{"droppedEventsCount": 4294967296}'), /droppedEventsCount: integer out of range/);
    rejects(withSpan('{"attributes": [{"key": "k", "value": {"intValue": "9223372036854775808"}}]}'), /intValue: integer out of range/);
  });

  it('rejects an AnyValue with two members, bad base64 and bad doubles', () => {
    rejects(withSpan('{"attributes": [{"key": "k", "value": {"stringValue": "a", "intValue": 1}}]}'), /attributes\[0\]\.value: more than one value/);
    rejects(withSpan('{"attributes": [{"key": "k", "value": {"bytesValue": "a*b"}}]}'), /value\.bytesValue: expected base64/);
    rejects(withSpan('{"attributes": [{"key": "k", "value": {"doubleValue": "fast"}}]}'), /value\.doubleValue: expected a number/);
  });

  it(`allows ${MAX_DEPTH} levels of nested values and rejects 10,000 with a DecodeError`, () => {
    const nested = (levels: number) => {
      let value = '{"stringValue": "leaf"}';
      for (let i = 1; i < levels; i++) value = `{"arrayValue": {"values": [${value}]}}`;
      return withSpan(`{"attributes": [{"key": "deep", "value": ${value}}]}`);
    };
    assert.doesNotThrow(() => decodeTracesJson(nested(MAX_DEPTH)));
    rejects(nested(MAX_DEPTH + 1), 'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value: attribute value nested deeper than 64 levels');
    rejects(nested(10_000), /nested deeper than 64 levels/);
    rejects(`{"resourceSpans": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, /expected an object/);
  });

  it('turns malformed JSON into a DecodeError', () => {
    rejects('{"resourceSpans": [', /invalid JSON/);
  });
});
