// Reading a segment file's records back, checking each one. On start, the segment that
// was open when the last engine stopped is cut back to its last whole record (a torn
// tail); elsewhere a damaged record is skipped and counted, and reading goes on at the
// next record that checks out.

import { readFileSync, truncateSync } from 'node:fs';
import { HEADER_BYTES, readRecord, SIGNALS, type DiskRecord } from './record.ts';

export interface ScanResult {
  records: DiskRecord[];
  /** Records that failed their check and were skipped. */
  damaged: number;
}

/** Every record of the file that checks out, oldest first. */
export function scanSegment(path: string, keep: (signal: DiskRecord['signal'], seq: number) => boolean = () => true): ScanResult {
  return scanRecords(readFileSync(path), keep);
}

/** Every record of a segment's bytes that checks out, oldest first. */
export function scanRecords(buf: Buffer, keep: (signal: DiskRecord['signal'], seq: number) => boolean = () => true): ScanResult {
  const records: DiskRecord[] = [];
  let damaged = 0;
  let at = 0;
  const budget = { bytes: buf.length * RESYNC_WORK_PER_BYTE };
  while (at < buf.length) {
    const r = readRecord(buf, at);
    if ('record' in r) {
      if (keep(r.record.signal, r.record.seq)) records.push(r.record);
      at = r.end;
      continue;
    }
    if (r.problem === 'end') break;
    // Look for the next record that checks out: a flipped bit costs only its own record.
    damaged++;
    const next = resync(buf, at + 1, budget);
    if (next < 0) break;
    at = next;
  }
  return { records, damaged };
}

/**
 * Bytes of checksum a scan may spend looking for records in damage, per byte of file:
 * every offset of junk can claim a record, and checking each in full would take time
 * quadratic in the file's size. Past it, the rest of the file is given up as damaged.
 */
const RESYNC_WORK_PER_BYTE = 8;

function resync(buf: Buffer, from: number, budget: { bytes: number }): number {
  for (let at = from; at + HEADER_BYTES <= buf.length; at++) {
    // Cheap checks first: the writer leaves the spare bytes zero, and a record fits the file.
    if (buf[at + 8] >= SIGNALS.length || buf[at + 10] !== 0 || buf[at + 11] !== 0) continue;
    const length = buf.readUInt32LE(at);
    if (at + HEADER_BYTES + length > buf.length) continue;
    budget.bytes -= HEADER_BYTES + length;
    if (budget.bytes < 0) return -1;
    if ('record' in readRecord(buf, at)) return at;
  }
  return -1;
}

export interface Recovery {
  records: DiskRecord[];
  /** Bytes cut off the end: a record the crash left half-written, and anything after it. */
  tornBytes: number;
  validBytes: number;
}

/** Keeps the file's longest run of whole records from the start and truncates the rest. */
export function recoverTail(path: string): Recovery {
  const buf = readFileSync(path);
  const records: DiskRecord[] = [];
  let at = 0;
  for (;;) {
    const r = readRecord(buf, at);
    if (!('record' in r)) break;
    records.push(r.record);
    at = r.end;
  }
  const tornBytes = buf.length - at;
  if (tornBytes > 0) truncateSync(path, at);
  return { records, tornBytes, validBytes: at };
}
