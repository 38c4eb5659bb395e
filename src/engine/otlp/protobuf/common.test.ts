import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyValue } from '../../../protocol/otlp.ts';
import { decodeAnyValue, decodeKeyValue, decodeKeyValues, decodeResource, decodeScope } from './common.ts';
import { writeAnyValue, writeKeyValues } from './encodeTraces.ts';
import { DecodeError, MAX_DEPTH, WireType } from './wire.ts';
import { ProtoWriter } from './writer.ts';

function encodeAnyValue(value: AnyValue): Buffer {
  const w = new ProtoWriter(8);
  writeAnyValue(w, value);
  return w.finish();
}

function decode(bytes: Buffer): AnyValue {
  return decodeAnyValue(bytes, 0, bytes.length);
}

/** An AnyValue of `levels` nested arrays around a string, built bottom-up as raw bytes. */
function nestedArrays(levels: number): Buffer {
  let inner = encodeAnyValue({ stringValue: 'leaf' });
  for (let i = 1; i < levels; i++) {
    const w = new ProtoWriter(inner.length + 16);
    w.tag(5, WireType.LengthDelimited);
    const array = w.begin();
    w.tag(1, WireType.LengthDelimited);
    const item = w.begin();
    w.raw(inner);
    w.end(item);
    w.end(array);
    inner = w.finish();
  }
  return inner;
}

describe('decodeAnyValue', () => {
  it('decodes every kind of value, keeping oneof members set to their default', () => {
    const values: AnyValue[] = [
      { stringValue: 'héllo' }, { stringValue: '' }, { boolValue: true }, { boolValue: false },
      { intValue: '0' }, { intValue: '-1' }, { intValue: '9223372036854775807' }, { intValue: '-9223372036854775808' },
      { doubleValue: 0 }, { doubleValue: -2.5e-300 }, { doubleValue: Infinity }, { doubleValue: NaN },
      { bytesValue: '' }, { bytesValue: 'AP8=' },
      { arrayValue: {} }, { arrayValue: { values: [{ intValue: '1' }, {}, { arrayValue: {} }] } },
      { kvlistValue: {} },
      { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'x' } }, { key: 'constructor' }] } },
      {},
    ];
    for (const value of values) assert.deepEqual(decode(encodeAnyValue(value)), value);
  });

  it('lets the last member on the wire win, as in any oneof', () => {
    const bytes = Buffer.concat([encodeAnyValue({ stringValue: 'a' }), encodeAnyValue({ intValue: '5' })]);
    assert.deepEqual(decode(bytes), { intValue: '5' });
  });

  it('skips string_value_strindex, a profiles-only dictionary reference', () => {
    assert.deepEqual(decode(Buffer.from([0x40, 0x07])), {});
  });

  it(`accepts ${MAX_DEPTH} levels of nesting and rejects one more`, () => {
    assert.doesNotThrow(() => decode(nestedArrays(MAX_DEPTH)));
    assert.throws(() => decode(nestedArrays(MAX_DEPTH + 1)), {
      name: 'DecodeError', message: 'attribute value nested deeper than 64 levels',
    });
  });

  it('rejects 10,000 levels with a DecodeError, not a stack overflow', () => {
    assert.throws(() => decode(nestedArrays(10_000)), DecodeError);
  });

  it('names the field sent with a wrong wire type', () => {
    assert.throws(() => decode(Buffer.from([0x0d, 1, 2, 3, 4])), /AnyValue\.string_value: unexpected wire type 5/);
  });
});

describe('KeyValue lists', () => {
  const w = new ProtoWriter();
  w.tag(5, WireType.LengthDelimited); w.string('span name'); // another field, skipped
  writeKeyValues(w, 9, [{ key: 'a', value: { intValue: '1' } }, { key: 'b' }]);
  const span = w.finish();

  it('decodeKeyValues collects one repeated field from a message', () => {
    assert.deepEqual(decodeKeyValues(span, 0, span.length, 9), [{ key: 'a', value: { intValue: '1' } }, { key: 'b' }]);
    assert.deepEqual(decodeKeyValues(span, 0, span.length, 3), []);
  });

  it('decodeKeyValue decodes one entry', () => {
    const one = Buffer.from([0x0a, 0x01, 0x6b, 0x12, 0x02, 0x10, 0x01]);
    assert.deepEqual(decodeKeyValue(one, 0, one.length), { key: 'k', value: { boolValue: true } });
  });
});

describe('decodeResource and decodeScope', () => {
  it('decode a resource with attributes, dropped count and entity refs, from inside a buffer', () => {
    const w = new ProtoWriter();
    w.uint32(0xdead); // unrelated leading bytes
    const start = w.pos;
    writeKeyValues(w, 1, [{ key: 'service.name', value: { stringValue: 'api' } }]);
    w.tag(2, WireType.Varint); w.uint32(3);
    w.tag(3, WireType.LengthDelimited);
    const ref = w.begin();
    w.tag(1, WireType.LengthDelimited); w.string('https://schema');
    w.tag(2, WireType.LengthDelimited); w.string('service');
    for (const k of ['service.name', 'service.namespace']) { w.tag(3, WireType.LengthDelimited); w.string(k); }
    w.tag(4, WireType.LengthDelimited); w.string('service.version');
    w.end(ref);
    const end = w.pos;
    w.uint32(0xbeef);
    assert.deepEqual(decodeResource(w.buf, start, end), {
      attributes: [{ key: 'service.name', value: { stringValue: 'api' } }],
      droppedAttributesCount: 3,
      entityRefs: [{
        schemaUrl: 'https://schema', type: 'service', idKeys: ['service.name', 'service.namespace'],
        descriptionKeys: ['service.version'],
      }],
    });
  });

  it('decode a scope and omit default values', () => {
    const w = new ProtoWriter();
    w.tag(1, WireType.LengthDelimited); w.string('lib');
    w.tag(2, WireType.LengthDelimited); w.string('');
    writeKeyValues(w, 3, [{ key: 'x', value: { doubleValue: 1.5 } }]);
    w.tag(4, WireType.Varint); w.uint32(0);
    assert.deepEqual(decodeScope(w.buf, 0, w.pos), { name: 'lib', attributes: [{ key: 'x', value: { doubleValue: 1.5 } }] });
  });

  it('stop at the given end: a field running past it is truncation', () => {
    const bytes = Buffer.from([0x0a, 0x03, 0x6c, 0x69, 0x62]);
    assert.throws(() => decodeScope(bytes, 0, 4), DecodeError);
  });
});
