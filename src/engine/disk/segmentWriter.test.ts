import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HEADER_BYTES, readRecord, writeRecord, type DiskRecord } from './record.ts';
import { SegmentWriter } from './segmentWriter.ts';

const dir = mkdtempSync(join(tmpdir(), 'loupe-segment-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function readAll(buf: Buffer): DiskRecord[] {
  const out: DiskRecord[] = [];
  for (let at = 0; ;) {
    const r = readRecord(buf, at);
    if (!('record' in r)) {
      assert.equal(r.problem, 'end');
      return out;
    }
    out.push(r.record);
    at = r.end;
  }
}

/** Request bodies of every size from none to 200 KiB, each byte telling which it is. */
function bodies(count: number): Buffer[] {
  return Array.from({ length: count }, (_, n) => Buffer.alloc(n % 7 === 0 ? 0 : (n * 7919) % (200 * 1024), n & 0xff));
}

describe('SegmentWriter', () => {
  it('writes each record, header and the request\'s own bytes, in order after what the file held', async () => {
    const path = join(dir, 'seg-a.log');
    const first = Buffer.alloc(HEADER_BYTES + 5);
    writeRecord(first, 0, 'logs', 'json', 1, 1000, Buffer.from('{"a"}'));
    writeFileSync(path, first);
    const writer = new SegmentWriter(path, first.length, (err) => assert.fail(err));
    // More records than one gathering write takes (512 buffers): the rest go by the next.
    const sent = bodies(1500);
    sent.forEach((body, n) => writer.append(n % 2 ? 'traces' : 'metrics', n % 3 ? 'protobuf' : 'json', n + 2, 2000 + n, body));
    assert.equal(writer.unwrittenFrom, 2);
    await writer.close();
    const file = readFileSync(path);
    assert.equal(file.length, writer.bytes);
    const records = readAll(file);
    assert.equal(records.length, 1 + sent.length);
    assert.deepEqual({ ...records[0], body: records[0].body.toString() }, { signal: 'logs', encoding: 'json', seq: 1, receivedAt: 1000, body: '{"a"}' });
    records.slice(1).forEach((r, n) => {
      assert.deepEqual([r.signal, r.encoding, r.seq, r.receivedAt], [n % 2 ? 'traces' : 'metrics', n % 3 ? 'protobuf' : 'json', n + 2, 2000 + n]);
      assert.ok(r.body.equals(sent[n]), `record ${n}'s body`);
    });
  });

  it('frames records as writeRecord does, so a flipped byte in a body fails its check', async () => {
    const path = join(dir, 'seg-b.log');
    const body = Buffer.from('the request as received');
    const writer = new SegmentWriter(path, 0, (err) => assert.fail(err));
    writer.append('traces', 'protobuf', 7, 1234, body);
    await writer.close();
    const expected = Buffer.alloc(HEADER_BYTES + body.length);
    writeRecord(expected, 0, 'traces', 'protobuf', 7, 1234, body);
    const file = readFileSync(path);
    assert.ok(file.equals(expected));
    file[HEADER_BYTES + 3] ^= 1;
    assert.deepEqual(readRecord(file, 0), { problem: 'corrupt' });
  });

  it('writes nothing pending once discarded', async () => {
    const path = join(dir, 'seg-c.log');
    const writer = new SegmentWriter(path, 0, (err) => assert.fail(err));
    writer.append('logs', 'protobuf', 1, 1, Buffer.from('gone'));
    await writer.discard();
    assert.equal(readFileSync(path).length, 0);
    assert.equal(writer.unwrittenFrom, Infinity);
  });
});
