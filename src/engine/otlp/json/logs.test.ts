import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { LogRecord, LogsData } from '../../../protocol/otlp.ts';
import { DecodeError } from '../protobuf/wire.ts';
import { decodeLogsJson } from './logs.ts';

const EXAMPLES = '/work/shared/reference/otlp/examples';
const withRecord = (json: string) => `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${json}]}]}]}`;
const onlyRecord = (data: LogsData): LogRecord => data.resourceLogs![0].scopeLogs![0].logRecords![0];

describe('decodeLogsJson', () => {
  it('decodes the specification log example', () => {
    const record = onlyRecord(decodeLogsJson(readFileSync(`${EXAMPLES}/logs.json`, 'utf8')));
    assert.equal(record.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(record.spanId, 'eee19b7ec3c1b174');
    assert.equal(record.severityNumber, 10);
    assert.equal(record.observedTimeUnixNano, '1544712660300000000');
    assert.deepEqual(record.body, { stringValue: 'Example log record' });
    assert.deepEqual(record.attributes!.at(-1), {
      key: 'map.attribute', value: { kvlistValue: { values: [{ key: 'some.map.key', value: { stringValue: 'some value' } }] } },
    });
  });

  it('decodes the specification event example with its event name and structured body', () => {
    const record = onlyRecord(decodeLogsJson(readFileSync(`${EXAMPLES}/events.json`, 'utf8')));
    assert.equal(record.eventName, 'browser.page_view');
    assert.ok('kvlistValue' in record.body!);
  });

  it('decodes every LogRecord field', () => {
    const record = onlyRecord(decodeLogsJson(withRecord(`{
      "timeUnixNano": "1700000000000000001", "observedTimeUnixNano": 1700000000000000002,
      "severityNumber": 24, "severityText": "FATAL", "body": {"bytesValue": "AAE="},
      "attributes": [{"key": "k"}], "droppedAttributesCount": 2, "flags": 1,
      "traceId": "0AF7651916CD43DD8448EB211C80319C", "spanId": "B7AD6B7169203331", "eventName": "x.y"
    }`)));
    assert.deepEqual(record, {
      timeUnixNano: '1700000000000000001', observedTimeUnixNano: '1700000000000000002',
      severityNumber: 24, severityText: 'FATAL', body: { bytesValue: 'AAE=' },
      attributes: [{ key: 'k' }], droppedAttributesCount: 2, flags: 1,
      traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', eventName: 'x.y',
    });
  });

  it('keeps an empty body as an empty AnyValue', () => {
    assert.deepEqual(onlyRecord(decodeLogsJson(withRecord('{"body": {}}'))), { body: {} });
  });

  it('names the path of a bad body', () => {
    assert.throws(
      () => decodeLogsJson(withRecord('{"body": "text"}')),
      (err) => err instanceof DecodeError && err.message === 'resourceLogs[0].scopeLogs[0].logRecords[0].body: expected an object',
    );
    assert.throws(
      () => decodeLogsJson(withRecord('{"body": {"kvlistValue": {"values": [{"key": "a", "value": {"boolValue": "yes"}}]}}}')),
      /logRecords\[0\]\.body\.kvlistValue\.values\[0\]\.value\.boolValue: expected a boolean/,
    );
  });
});
