import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeExportResponse, encodeStatus } from './exportResponse.ts';

describe('export responses', () => {
  it('leaves partial_success unset on full success', () => {
    assert.equal(encodeExportResponse('traces', { rejected: 0 }, 'protobuf').length, 0);
    assert.equal(encodeExportResponse('logs', { rejected: 0, message: 'ignored' }, 'json').toString(), '{}');
  });

  it('encodes partial_success { rejected (int64 field 1), error_message (field 2) } in field 1', () => {
    const bytes = encodeExportResponse('metrics', { rejected: 300, message: 'ab' }, 'protobuf');
    // 0a 07 (field 1, 7 bytes) | 08 ac 02 (300 as a varint) | 12 02 'a' 'b'
    assert.deepEqual([...bytes], [0x0a, 0x07, 0x08, 0xac, 0x02, 0x12, 0x02, 0x61, 0x62]);
  });

  it('omits an empty error message and keeps counts beyond 32 bits', () => {
    const bytes = encodeExportResponse('traces', { rejected: 2 ** 40 }, 'protobuf');
    assert.deepEqual([...bytes], [0x0a, 0x07, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    assert.equal(encodeExportResponse('logs', { rejected: 5 }, 'json').toString(), '{"partialSuccess":{"rejectedLogRecords":"5"}}');
  });

  it('trims very long messages so responses stay small', () => {
    const json = JSON.parse(encodeExportResponse('traces', { rejected: 1, message: 'x'.repeat(100_000) }, 'json').toString());
    assert.ok(json.partialSuccess.errorMessage.length <= 4096);
    assert.ok(encodeStatus(3, 'y'.repeat(100_000), 'protobuf').length < 4200);
  });

  it('encodes google.rpc.Status in protobuf and JSON', () => {
    assert.deepEqual([...encodeStatus(3, 'no', 'protobuf')], [0x08, 0x03, 0x12, 0x02, 0x6e, 0x6f]);
    assert.deepEqual(JSON.parse(encodeStatus(8, 'too big', 'json').toString()), { code: 8, message: 'too big' });
  });
});
