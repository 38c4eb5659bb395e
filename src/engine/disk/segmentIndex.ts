// The small index kept beside each segment file (`<segment>.idx`): what an engine reads
// on start instead of the segment itself, and what queries read to skip a segment (its
// time range, services, counts, and a Bloom filter of its trace ids).

import { crc32 } from 'node:zlib';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
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
  /** Earliest and latest metric point time (Unix ns); Infinity/-Infinity when none; -Infinity/Infinity when not known (an older index). */
  metricMinNs: number;
  metricMaxNs: number;
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
    minTimeNs: Infinity, maxTimeNs: -Infinity, metricMinNs: Infinity, metricMaxNs: -Infinity, counts: { spans: 0, logs: 0, metricPoints: 0, profiles: 0 },
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
  // Unsigned: `x >>> 0 | 1` is a signed int, and a negative step gave bits past the
  // filter's end, never set, so about one trace in five was missed on a sealed segment.
  // (Indexes written before this miss those traces still: the filter cannot say.)
  const h2 = (Math.imul(h, 0x9e3779b1) | 1) >>> 0;
  return [h % bits, (h + h2) % bits, (h + 2 * h2) % bits];
}

interface IndexFile extends Omit<SegmentIndex, 'traceBloom' | 'minTimeNs' | 'maxTimeNs' | 'metricMinNs' | 'metricMaxNs' | 'firstReceivedMs' | 'lastReceivedMs'> {
  /** 2 since the Bloom filter's probes were fixed; a version 1 filter is not trusted (see checkedIndex). */
  version: 1 | 2;
  minTimeNs: number | null;
  maxTimeNs: number | null;
  /** Absent in indexes written before metric times were kept. */
  metricMinNs?: number | null;
  metricMaxNs?: number | null;
  firstReceivedMs: number | null;
  lastReceivedMs: number | null;
  traceBloom: string;
}

/** Writes the index beside its segment: to a temporary file, synced, then renamed over. */
export function writeIndex(path: string, index: SegmentIndex): void {
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  const file: IndexFile = {
    ...index, version: 2,
    minTimeNs: finite(index.minTimeNs), maxTimeNs: finite(index.maxTimeNs),
    metricMinNs: finite(index.metricMinNs), metricMaxNs: finite(index.metricMaxNs),
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
    return checkedIndex(JSON.parse(text) as IndexFile, basename(path, '.idx'));
  } catch {
    return undefined;
  }
}

const COUNTS = ['spans', 'logs', 'metricPoints', 'profiles'] as const;
const SIGNALS = ['traces', 'logs', 'metrics', 'profiles'] as const;
/** The range of a JavaScript Date, in ms. */
const MAX_DATE_MS = 8.64e15;

/**
 * The index as its types say it is, or undefined. The checksum catches a damaged disk,
 * not an index another version or a bug wrote: one the tier cannot use (a count that is
 * not a count, a time outside what a Date holds, another segment's name) is rebuilt.
 */
function checkedIndex(f: IndexFile, file: string): SegmentIndex | undefined {
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const time = (n: unknown) => n === null || (typeof n === 'number' && Math.abs(n) <= MAX_DATE_MS);
  const finite = (n: unknown) => n === null || Number.isFinite(n);
  if (!f || (f.version !== 1 && f.version !== 2) || f.file !== file || f.firstSeq !== Number(file.slice(4, 20))) return undefined;
  if (![f.firstSeq, f.records, f.bytes].every(count) || !Number.isSafeInteger(f.lastSeq) || f.lastSeq < f.firstSeq - 1) return undefined;
  if (!time(f.firstReceivedMs) || !time(f.lastReceivedMs) || !finite(f.minTimeNs) || !finite(f.maxTimeNs)) return undefined;
  if (!finite(f.metricMinNs ?? null) || !finite(f.metricMaxNs ?? null)) return undefined;
  if (!f.counts || !COUNTS.every((k) => count(f.counts[k])) || !f.signals || !SIGNALS.every((k) => count(f.signals[k]))) return undefined;
  // An index written before metric times were kept: its metric records may be of any time.
  const metricsUnknown = f.metricMinNs === undefined && f.signals.metrics > 0;
  if (!Array.isArray(f.services) || !f.services.every((s) => typeof s === 'string') || typeof f.traceBloom !== 'string') return undefined;
  const bloom = Buffer.from(f.traceBloom, 'base64');
  const words = new Uint32Array(bloom.length >>> 2);
  Buffer.from(words.buffer).set(bloom.subarray(0, words.length * 4));
  // Version 1 set bits with a signed step and missed some traces: its filter says "may hold" to every one (read, not rebuilt).
  if (f.version === 1) words.fill(0xffffffff);
  return {
    file, firstSeq: f.firstSeq, lastSeq: f.lastSeq, records: f.records, bytes: f.bytes,
    firstReceivedMs: f.firstReceivedMs ?? Infinity, lastReceivedMs: f.lastReceivedMs ?? -Infinity,
    minTimeNs: f.minTimeNs ?? Infinity, maxTimeNs: f.maxTimeNs ?? -Infinity,
    metricMinNs: metricsUnknown ? -Infinity : f.metricMinNs ?? Infinity, metricMaxNs: metricsUnknown ? Infinity : f.metricMaxNs ?? -Infinity,
    counts: { spans: f.counts.spans, logs: f.counts.logs, metricPoints: f.counts.metricPoints, profiles: f.counts.profiles },
    signals: { traces: f.signals.traces, logs: f.signals.logs, metrics: f.signals.metrics, profiles: f.signals.profiles },
    services: [...f.services], traceBloom: words,
  };
}
