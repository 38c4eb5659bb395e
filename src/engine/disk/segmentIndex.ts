// The small index kept beside each segment file (`<segment>.idx`): what an engine reads
// on start instead of the segment itself, and what queries read to skip a segment (its
// time range, services, counts, and a Bloom filter of its trace ids).

import { crc32 } from 'node:zlib';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Signal } from '../ingest/ingest.ts';

export interface SegmentCounts {
  spans: number;
  logs: number;
  metricPoints: number;
  profiles: number;
}

export interface SegmentIndex {
  /** The segment file's name, `seg-<first seq>.log`. */
  file: string;
  firstSeq: number;
  lastSeq: number;
  records: number;
  bytes: number;
  firstReceivedMs: number;
  lastReceivedMs: number;
  /** Earliest item time and latest span end or log time (Unix ns, as doubles); Infinity/-Infinity when none. */
  minTimeNs: number;
  maxTimeNs: number;
  counts: SegmentCounts;
  /** Records per signal, so a query for one signal skips segments without it. */
  signals: Record<Signal, number>;
  services: string[];
  /** Bloom filter (3 probes) over the trace keys of its spans and log records. */
  traceBloom: Uint32Array;
}

export function emptyIndex(file: string, firstSeq: number): SegmentIndex {
  return {
    file, firstSeq, lastSeq: firstSeq - 1, records: 0, bytes: 0, firstReceivedMs: Infinity, lastReceivedMs: -Infinity,
    minTimeNs: Infinity, maxTimeNs: -Infinity, counts: { spans: 0, logs: 0, metricPoints: 0, profiles: 0 },
    signals: { traces: 0, logs: 0, metrics: 0, profiles: 0 }, services: [], traceBloom: new Uint32Array(0),
  };
}

/** A filter of about 10 bits per trace: about a 1% false-positive rate at 3 probes. */
export function buildBloom(hashes: Iterable<number>, count: number): Uint32Array {
  let words = 32;
  while (words * 32 < count * 10) words *= 2;
  const bloom = new Uint32Array(words);
  for (const h of hashes) for (const bit of probes(h, words * 32)) bloom[bit >>> 5] |= 1 << (bit & 31);
  return bloom;
}

export function bloomMayHold(bloom: Uint32Array, hash: number): boolean {
  if (bloom.length === 0) return false;
  for (const bit of probes(hash, bloom.length * 32)) if (!(bloom[bit >>> 5] & (1 << (bit & 31)))) return false;
  return true;
}

function probes(h: number, bits: number): number[] {
  const h2 = Math.imul(h, 0x9e3779b1) >>> 0 | 1;
  return [h % bits, (h + h2) % bits, (h + 2 * h2) % bits].map((b) => b >>> 0);
}

interface IndexFile extends Omit<SegmentIndex, 'traceBloom' | 'minTimeNs' | 'maxTimeNs' | 'firstReceivedMs' | 'lastReceivedMs'> {
  version: 1;
  minTimeNs: number | null;
  maxTimeNs: number | null;
  firstReceivedMs: number | null;
  lastReceivedMs: number | null;
  traceBloom: string;
}

/** Writes the index beside its segment: to a temporary file, synced, then renamed over. */
export function writeIndex(path: string, index: SegmentIndex): void {
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  const file: IndexFile = {
    version: 1, ...index,
    minTimeNs: finite(index.minTimeNs), maxTimeNs: finite(index.maxTimeNs),
    firstReceivedMs: finite(index.firstReceivedMs), lastReceivedMs: finite(index.lastReceivedMs),
    traceBloom: Buffer.from(index.traceBloom.buffer, index.traceBloom.byteOffset, index.traceBloom.byteLength).toString('base64'),
  };
  const text = JSON.stringify(file);
  const body = `${crc32(text)}\n${text}`;
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** The index at `path`, or undefined when it is missing, damaged or of another version (the segment is scanned instead). */
export function readIndex(path: string): SegmentIndex | undefined {
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const nl = body.indexOf('\n');
  const text = body.slice(nl + 1);
  if (nl < 0 || String(crc32(text)) !== body.slice(0, nl)) return undefined;
  try {
    const f = JSON.parse(text) as IndexFile;
    if (f.version !== 1) return undefined;
    const bloom = Buffer.from(f.traceBloom, 'base64');
    const words = new Uint32Array(bloom.length >>> 2);
    Buffer.from(words.buffer).set(bloom.subarray(0, words.length * 4));
    return {
      ...f,
      minTimeNs: f.minTimeNs ?? Infinity, maxTimeNs: f.maxTimeNs ?? -Infinity,
      firstReceivedMs: f.firstReceivedMs ?? Infinity, lastReceivedMs: f.lastReceivedMs ?? -Infinity,
      traceBloom: words,
    };
  } catch {
    return undefined;
  }
}
