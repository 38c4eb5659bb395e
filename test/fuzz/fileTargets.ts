// Fuzz targets for what Loupe reads from files: the disk tier's segments and their
// indexes (which must never throw: damage is skipped and counted), and telemetry files
// opened in the editor or imported (OTLP/JSON, JSON Lines, gzip, Jaeger).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { HEADER_BYTES, writeRecord, type DiskRecord } from '../../src/engine/disk/record.ts';
import { bloomMayHold, readIndex, writeIndex, type SegmentIndex } from '../../src/engine/disk/segmentIndex.ts';
import { recoverTail, scanSegment } from '../../src/engine/disk/segmentScan.ts';
import { SegmentView } from '../../src/engine/disk/segmentView.ts';
import { readTelemetryFile, TelemetryFileError } from '../../src/engine/files/readTelemetryFile.ts';
import { TelemetryFiles } from '../../src/engine/files/telemetryFiles.ts';
import { decodeTracesJson } from '../../src/engine/otlp/json/traces.ts';
import { DecodeError } from '../../src/engine/otlp/protobuf/wire.ts';
import { restoreRecord } from '../../src/engine/disk/openDiskTier.ts';
import { CompactFormatError } from '../../src/shared/compactFormatError.ts';
import { fuzzEngine } from './fuzzEngine.ts';
import { spansRoundTrip } from './roundTrip.ts';
import type { FuzzTarget } from './targets.ts';

const SEGMENT = 'seg-0000000000000000.log';

let folder: string | undefined;

/** A folder for the files these targets write, removed when the process exits. */
function scratch(): string {
  if (!folder) {
    const made = mkdtempSync(join(tmpdir(), 'loupe-fuzz-files-'));
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}

/** A record into the engine, as a restart's restore does; only a decode error may come back. */
function ingest(r: DiskRecord): void {
  try {
    restoreRecord(fuzzEngine(), r);
  } catch (err) {
    if (!(err instanceof DecodeError) && !(err instanceof CompactFormatError)) throw err;
  }
}

function encodeRecords(records: DiskRecord[]): Buffer {
  const out = Buffer.alloc(records.reduce((n, r) => n + HEADER_BYTES + r.body.length, 0));
  let at = 0;
  for (const r of records) at = writeRecord(out, at, r.signal, r.encoding, r.seq, r.receivedAt, r.body);
  return out;
}

/**
 * A segment file as the engine reads it on start, on restore and for queries. Damage is
 * skipped and counted, never thrown; the records kept write back to the same bytes; and
 * a crash's torn tail is cut to a prefix of what a full scan finds, which then scans clean.
 */
function decodeSegment(input: Buffer): 'rejected' | undefined {
  const path = join(scratch(), SEGMENT);
  writeFileSync(path, input);
  const scan = scanSegment(path);
  for (const r of scan.records) ingest(r);
  void new SegmentView(scan.records).memoryBytes;

  const again = join(scratch(), 'seg-0000000000000001.log');
  writeFileSync(again, encodeRecords(scan.records));
  const rescan = scanSegment(again);
  assert.equal(rescan.damaged, 0, 'records written again read back damaged');
  assert.deepEqual(rescan.records, scan.records, 'segment records: decode → encode → decode is not stable');

  const tail = recoverTail(path);
  assert.deepEqual(tail.records, scan.records.slice(0, tail.records.length), 'the torn-tail recovery kept other records than a scan');
  assert.equal(statSync(path).size, tail.validBytes);
  const cut = scanSegment(path);
  assert.equal(cut.damaged, 0, 'a file cut to its whole records still reads as damaged');
  assert.deepEqual(cut.records, tail.records);
  return scan.damaged || tail.tornBytes ? 'rejected' : undefined;
}

/** What the disk tier does with an index it read: it must all work. */
function useIndex(index: SegmentIndex): void {
  assert.equal(index.file, SEGMENT);
  assert.ok(Number.isSafeInteger(index.lastSeq + 1), `lastSeq ${index.lastSeq}`);
  assert.ok(Number.isFinite(index.bytes + index.counts.spans + index.counts.logs + index.counts.metricPoints + index.counts.profiles + index.signals.traces));
  for (const t of [index.firstReceivedMs, index.lastReceivedMs]) if (Number.isFinite(t)) new Date(t).toISOString();
  index.services.includes('checkout');
  bloomMayHold(index.traceBloom, 0x1234);
  const copy = join(scratch(), `${SEGMENT}.idx`);
  writeIndex(copy, index);
  const again = readIndex(copy);
  assert.ok(again, 'an index written back does not read');
  assert.equal(indexJson(again), indexJson(index), 'segment index: decode → encode → decode is not stable');
}

/** An index as JSON, as it is stored (where -0 is 0 and Infinity is absent). */
function indexJson(index: SegmentIndex): string {
  return JSON.stringify({ ...index, traceBloom: Buffer.from(index.traceBloom.buffer).toString('base64') });
}

/**
 * An index file, as it is and with its checksum made to match: damage the checksum
 * misses, or a writer's bug, must not give the disk tier an index it cannot use.
 */
function decodeIndex(input: Buffer): 'rejected' | undefined {
  const path = join(scratch(), `${SEGMENT}.idx`);
  writeFileSync(path, input);
  const asIs = readIndex(path);
  const text = input.subarray(input.indexOf(10) + 1).toString('utf8');
  writeFileSync(path, `${crc32(text)}\n${text}`);
  const resummed = readIndex(path);
  for (const index of [asIs, resummed]) if (index) useIndex(index);
  return asIs ? undefined : 'rejected';
}

const files = new TelemetryFiles(4 * 1048576);

/**
 * A file opened in the editor and imported into the live engine. The requests read
 * write back as JSON Lines that read to the same requests.
 */
function openTelemetryFile(input: Buffer): void {
  const summary = files.add('fuzz.otlp.json', input);
  files.importInto(summary.id, fuzzEngine());
  const read = readTelemetryFile(input, 64 * 1048576);
  if (!read.requests.length) return;
  const lines = Buffer.from(read.requests.map((r) => r.body.toString('utf8')).join('\n'));
  const again = readTelemetryFile(lines, 64 * 1048576);
  assert.deepEqual(again.requests.map((r) => [r.signal, r.body.toString()]), read.requests.map((r) => [r.signal, r.body.toString()]), 'telemetry file: read → write → read is not stable');
}

/** Jaeger's export becomes OTLP/JSON that the engine decodes, and whose spans round-trip. */
function openJaeger(input: Buffer): void {
  const read = readTelemetryFile(input, 64 * 1048576);
  for (const r of read.requests) {
    if (r.signal !== 'traces') continue;
    let data;
    try {
      data = decodeTracesJson(r.body.toString('utf8'));
    } catch (err) {
      // A damaged file that is no longer Jaeger's may hold OTLP the engine refuses; what the conversion writes, it must read.
      if (err instanceof DecodeError && read.format !== 'jaeger-json') continue;
      throw err;
    }
    spansRoundTrip(data, true);
  }
}

const never = () => false;
const isFileError = (err: unknown) => err instanceof TelemetryFileError;

export const FILE_TARGETS: readonly FuzzTarget[] = [
  { name: 'disk-segment', seeds: (s) => [s.segment], rejects: never, decode: decodeSegment },
  { name: 'disk-index', text: true, seeds: (s) => [s.segmentIndex], rejects: never, decode: decodeIndex },
  { name: 'telemetry-file', text: true, seeds: (s) => s.telemetryFiles, rejects: isFileError, decode: openTelemetryFile },
  { name: 'jaeger-json', text: true, seeds: (s) => [s.jaeger], rejects: isFileError, decode: openJaeger },
];
