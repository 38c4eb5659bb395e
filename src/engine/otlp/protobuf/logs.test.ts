import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeLogsJson } from '../json/logs.ts';
import { expectedLogRecord, expectedResource } from '../testSupport/expectedModel.ts';
import { recordLogs, REMOTE_PARENT } from '../testSupport/sdkTelemetry.ts';
import { decodeLogRecord, decodeLogsRequest } from './logs.ts';
import { ProtoWriter } from './writer.ts';
import { WireType } from './wire.ts';

const sdkLogs = recordLogs();
const protobuf = Buffer.from(ProtobufLogsSerializer.serializeRequest(sdkLogs)!);
const json = Buffer.from(JsonLogsSerializer.serializeRequest(sdkLogs)!).toString('utf8');

describe('decodeLogsRequest against the SDK protobuf encoder', () => {
  const decoded = decodeLogsRequest(protobuf);
  const scopeLogs = decoded.resourceLogs![0].scopeLogs![0];
  const records = scopeLogs.logRecords!;

  it('decodes every record exactly as the SDK recorded it', () => {
    assert.equal(records.length, sdkLogs.length);
    records.forEach((record, i) => assert.deepEqual(record, expectedLogRecord(sdkLogs[i])));
  });

  it('decodes trace context, severities and times', () => {
    assert.equal(records[0].traceId, REMOTE_PARENT.traceId);
    assert.equal(records[0].spanId, REMOTE_PARENT.spanId);
    assert.equal(records[0].flags, 1);
    assert.equal(records[0].timeUnixNano, '1700000000123456789');
    assert.equal(records[0].observedTimeUnixNano, '1700000001987654321');
    assert.deepEqual(records[0].body, { stringValue: 'plain message' });
    assert.equal(records[1].severityNumber, 18);
    assert.equal(records[1].eventName, 'order.placed');
  });

  it('decodes bytes, maps and nested structured bodies', () => {
    const payload = records[0].attributes!.find((kv) => kv.key === 'payload');
    assert.deepEqual(payload?.value, { bytesValue: 'AAEC+v8=' });
    const body = records[1].body as { kvlistValue: { values: { key: string; value: unknown }[] } };
    const nested = body.kvlistValue.values.find((kv) => kv.key === 'nested')!.value;
    assert.deepEqual(nested, {
      kvlistValue: { values: [{ key: 'deeper', value: { kvlistValue: { values: [{ key: 'deepest', value: {
        arrayValue: { values: [{ boolValue: true }, { stringValue: 'x' }, { intValue: '7' }] },
      } }] } } }] },
    });
  });

  it('decodes resource and scope, including scope attributes', () => {
    assert.deepEqual(decoded.resourceLogs![0].resource, expectedResource(sdkLogs[0].resource));
    assert.deepEqual(scopeLogs.scope, {
      name: 'loupe.logs', version: '2.0.0', attributes: [{ key: 'scope.attr', value: { stringValue: 'yes' } }],
    });
    assert.equal(scopeLogs.schemaUrl, 'https://opentelemetry.io/schemas/1.26.0');
  });

  it('agrees exactly with the JSON decoding of the SDK JSON encoding', () => {
    assert.deepEqual(decodeLogsJson(json), decoded);
  });
});

describe('decodeLogRecord', () => {
  it('decodes an empty body value and unknown severities as they are', () => {
    const w = new ProtoWriter();
    w.tag(2, WireType.Varint); w.int32(99); // a severity number from the future
    w.tag(5, WireType.LengthDelimited); w.end(w.begin()); // body: an AnyValue with no value
    w.tag(4, WireType.Varint); w.uint32(1); // reserved field 4: skipped
    const bytes = w.finish();
    assert.deepEqual(decodeLogRecord(bytes, 0, bytes.length), { severityNumber: 99, body: {} });
  });
});
