// One record of a segment file: a received request body (the bytes the stores keep
// their items from) behind a fixed header with a CRC-32 over header and body. A record
// that fails its check was torn by a crash or damaged on disk: readers stop or skip there.

import { crc32 } from 'node:zlib';
import type { Encoding, Signal } from '../ingest/ingest.ts';

/** length u32 · crc u32 · signal u8 · encoding u8 · 2 spare · seq f64 · receivedAt ms f64 */
export const HEADER_BYTES = 28;
/** A record longer than this is not believed: its length field was damaged. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics', 'profiles'];
/**
 * How a record's body is encoded: an OTLP request as received, or (`compact`, profiles
 * only) a profile stored through the API (imported, captured, merged) in Loupe's compact
 * form (src/shared/profile/codec.ts), which carries its name and source.
 */
export type RecordEncoding = Encoding | 'compact';
const ENCODINGS: readonly RecordEncoding[] = ['protobuf', 'json', 'compact'];

export interface DiskRecord {
  signal: Signal;
  encoding: RecordEncoding;
  seq: number;
  receivedAt: number;
  body: Buffer;
}

/**
 * The record's header for `body`, its check covering both: written before the body, it
 * frames the request's own bytes without copying them.
 */
export function recordHeader(signal: Signal, encoding: RecordEncoding, seq: number, receivedAt: number, body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(body.length, 0);
  header[8] = SIGNALS.indexOf(signal);
  header[9] = ENCODINGS.indexOf(encoding);
  header.writeUInt16LE(0, 10);
  header.writeDoubleLE(seq, 12);
  header.writeDoubleLE(receivedAt, 20);
  header.writeUInt32LE(crc32(body, crc32(header.subarray(8))), 4);
  return header;
}

/** Writes the record at `out[at]`; `out` must have HEADER_BYTES + body.length free there. */
export function writeRecord(out: Buffer, at: number, signal: Signal, encoding: RecordEncoding, seq: number, receivedAt: number, body: Buffer): number {
  recordHeader(signal, encoding, seq, receivedAt, body).copy(out, at);
  body.copy(out, at + HEADER_BYTES);
  return at + HEADER_BYTES + body.length;
}

export type ReadOutcome = { record: DiskRecord; end: number } | { problem: 'end' | 'torn' | 'corrupt' };

/**
 * Reads the record at `buf[at]`. `torn`: the bytes stop inside it (a crash mid-write);
 * `corrupt`: its check fails or its header is impossible (a damaged disk, or a torn tail).
 */
export function readRecord(buf: Buffer, at: number): ReadOutcome {
  if (at === buf.length) return { problem: 'end' };
  if (at + HEADER_BYTES > buf.length) return { problem: 'torn' };
  const length = buf.readUInt32LE(at);
  const signal = SIGNALS[buf[at + 8]];
  const encoding = ENCODINGS[buf[at + 9]];
  if (length > MAX_RECORD_BYTES || !signal || !encoding) return { problem: 'corrupt' };
  const end = at + HEADER_BYTES + length;
  if (end > buf.length) return { problem: 'torn' };
  if (crc32(buf.subarray(at + 8, end)) !== buf.readUInt32LE(at + 4)) return { problem: 'corrupt' };
  return {
    record: { signal, encoding, seq: buf.readDoubleLE(at + 12), receivedAt: buf.readDoubleLE(at + 20), body: buf.subarray(at + HEADER_BYTES, end) },
    end,
  };
}
