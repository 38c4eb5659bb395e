// Every decoder the fuzz harness drives, one entry each: its seeds, how to decode (and
// use, and round-trip) an input, the error it documents for bad input and, where there
// is one, a generator of random valid inputs. Adding a decoder is adding an entry.

import assert from 'node:assert/strict';
import { decodeLogsJson } from '../../src/engine/otlp/json/logs.ts';
import { decodeMetricsJson } from '../../src/engine/otlp/json/metrics.ts';
import { decodeProfilesJson } from '../../src/engine/otlp/json/profiles.ts';
import { decodeTracesJson } from '../../src/engine/otlp/json/traces.ts';
import { encodeLogRecord } from '../../src/engine/otlp/protobuf/encodeLogs.ts';
import { encodeSpan } from '../../src/engine/otlp/protobuf/encodeTraces.ts';
import { decodeLogsRequest } from '../../src/engine/otlp/protobuf/logs.ts';
import { decodeMetricsRequest } from '../../src/engine/otlp/protobuf/metrics.ts';
import { decodeProfilesRequest } from '../../src/engine/otlp/protobuf/profiles.ts';
import { decodeTracesRequest } from '../../src/engine/otlp/protobuf/traces.ts';
import { DecodeError } from '../../src/engine/otlp/protobuf/wire.ts';
import type { Encoding, Signal } from '../../src/engine/ingest/ingest.ts';
import { decodeProfile } from '../../src/engine/profiles/decodeProfile.ts';
import { ProfileDecodeError } from '../../src/engine/profiles/profileError.ts';
import { topFunctions } from '../../src/engine/profiles/topFunctions.ts';
import { CompactFormatError } from '../../src/shared/compactFormatError.ts';
import { decodeCompactProfile, encodeCompactProfile } from '../../src/shared/profile/codec.ts';
import { decodeCompactTrace, encodeStrings, layoutCompactTrace } from '../../src/shared/trace/codec.ts';
import { field } from '../support/otlp.ts';
import { FILE_TARGETS } from './fileTargets.ts';
import { FOLDER_TARGET } from './folderTarget.ts';
import { fuzzEngine } from './fuzzEngine.ts';
import { randomLogRecord, randomSpan } from './generate.ts';
import { int, type Rand } from './mutate.ts';
import { logsRoundTrip, spansRoundTrip } from './roundTrip.ts';
import type { Seeds } from './seeds.ts';

export { stopFuzzEngine } from './fuzzEngine.ts';

export interface FuzzTarget {
  name: string;
  /** Text formats also get JSON-aware mutations. */
  text?: boolean;
  /** A target whose seeds are written by the engine itself (a data folder) makes them asynchronously. */
  seeds(s: Seeds): Buffer[] | Promise<Buffer[]>;
  /**
   * Decodes, uses and round-trips one input; throws on bad input. A reader that must
   * never throw (the disk tier's) returns 'rejected' when it skipped and counted damage.
   * A target that starts something asynchronous (a data folder opened and loaded back)
   * resolves when it is done: the time and memory limits cover that too.
   */
  decode(input: Buffer): void | 'rejected' | Promise<void | 'rejected'>;
  /** For a target whose input costs far more than a decode (a whole folder opened twice): its bounds in `npm test`. */
  testBounds?: { iterations: number; perInputMs: number };
  /** Damage that knows the input's structure (a folder image), instead of the byte and JSON mutations. */
  mutate?(input: Buffer, rand: Rand, other: Buffer): Buffer;
  /** The error the decoder documents for bad input; anything else it throws is a bug. */
  rejects(err: unknown): boolean;
  /** A random valid input, which must decode. */
  generate?(rand: Rand): Buffer;
}

const isDecodeError = (err: unknown) => err instanceof DecodeError;
const isProfileError = (err: unknown) => err instanceof ProfileDecodeError;
const isCompactError = (err: unknown) => err instanceof CompactFormatError;

const utf8 = (b: Buffer) => b.toString('utf8');

/** ExportTraceServiceRequest { resource_spans { scope_spans { spans… } } } around encoded messages. */
function request(items: Buffer[]): Buffer {
  return field(1, field(2, Buffer.concat(items.map((i) => field(2, i)))));
}

const randomSpans = (rand: Rand) => Array.from({ length: 1 + int(rand, 5) }, () => randomSpan(rand));
const randomLogs = (rand: Rand) => Array.from({ length: 1 + int(rand, 5) }, () => randomLogRecord(rand));

function ingestTargets(signal: Signal, protobuf: (s: Seeds) => Buffer[], json: (s: Seeds) => Buffer[], generate?: (r: Rand) => Buffer): FuzzTarget[] {
  const ingest = (input: Buffer, encoding: Encoding) => void fuzzEngine().export(signal, input, encoding, 'http');
  return [
    { name: `ingest-${signal}-protobuf`, seeds: protobuf, rejects: isDecodeError, decode: (b) => ingest(b, 'protobuf'), generate },
    { name: `ingest-${signal}-json`, text: true, seeds: json, rejects: isDecodeError, decode: (b) => ingest(b, 'json') },
  ];
}

function decodeAndUseProfile(input: Buffer): void {
  // The upload route's own bound on gzip (maxProfileBytes × 8), at the smallest upload limit.
  const profile = decodeProfile(input, 64 * 1048576);
  topFunctions(profile, profile.summary.defaultSampleType, 10);
  compactProfileRoundTrip(encodeCompactProfile(profile));
}

function compactProfileRoundTrip(bytes: Uint8Array): void {
  const once = encodeCompactProfile(decodeCompactProfile(bytes));
  const twice = encodeCompactProfile(decodeCompactProfile(once));
  assert.ok(Buffer.from(once).equals(Buffer.from(twice)), 'compact profile: decode → encode → decode is not stable');
}

function compactTraceRoundTrip(bytes: Uint8Array): void {
  const reencode = (b: Uint8Array) => {
    const trace = decodeCompactTrace(b);
    const strings = Array.from({ length: trace.strings.size }, (_, i) => trace.strings.get(i));
    const out = layoutCompactTrace(trace.traceId, trace.count, trace.baseLo, trace.baseHi, encodeStrings(strings));
    for (const column of ['start', 'duration', 'parent', 'service', 'name', 'kind', 'status', 'flags', 'spanIds'] as const) out[column].set(trace[column] as never);
    return out.bytes;
  };
  const once = reencode(bytes);
  assert.ok(Buffer.from(once).equals(Buffer.from(reencode(once))), 'compact trace: decode → encode → decode is not stable');
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'otlp-traces-protobuf', seeds: (s) => [s.tracesProtobuf], rejects: isDecodeError,
    decode: (b) => spansRoundTrip(decodeTracesRequest(b)),
    generate: (r) => request(randomSpans(r).map(encodeSpan)),
  },
  {
    name: 'otlp-traces-json', text: true, seeds: (s) => [s.tracesJson], rejects: isDecodeError,
    decode: (b) => spansRoundTrip(decodeTracesJson(utf8(b)), true),
    generate: (r) => Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: randomSpans(r) }] }] })),
  },
  {
    name: 'otlp-logs-protobuf', seeds: (s) => [s.logsProtobuf], rejects: isDecodeError,
    decode: (b) => logsRoundTrip(decodeLogsRequest(b)),
    generate: (r) => request(randomLogs(r).map(encodeLogRecord)),
  },
  {
    name: 'otlp-logs-json', text: true, seeds: (s) => [s.logsJson], rejects: isDecodeError,
    decode: (b) => logsRoundTrip(decodeLogsJson(utf8(b)), true),
    generate: (r) => Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: randomLogs(r) }] }] })),
  },
  { name: 'otlp-metrics-protobuf', seeds: (s) => [s.metricsProtobuf], rejects: isDecodeError, decode: (b) => void decodeMetricsRequest(b) },
  { name: 'otlp-metrics-json', text: true, seeds: (s) => [s.metricsJson], rejects: isDecodeError, decode: (b) => void decodeMetricsJson(utf8(b)) },
  { name: 'otlp-profiles-protobuf', seeds: (s) => [s.profilesProtobuf], rejects: isDecodeError, decode: (b) => void decodeProfilesRequest(b) },
  { name: 'otlp-profiles-json', text: true, seeds: (s) => [s.profilesJson], rejects: isDecodeError, decode: (b) => void decodeProfilesJson(utf8(b)) },
  // The path the receivers take: decode, validate, store, index, evict.
  ...ingestTargets('traces', (s) => [s.tracesProtobuf], (s) => [s.tracesJson], (r) => request(randomSpans(r).map(encodeSpan))),
  ...ingestTargets('logs', (s) => [s.logsProtobuf], (s) => [s.logsJson], (r) => request(randomLogs(r).map(encodeLogRecord))),
  ...ingestTargets('metrics', (s) => [s.metricsProtobuf], (s) => [s.metricsJson]),
  ...ingestTargets('profiles', (s) => [s.profilesProtobuf], (s) => [s.profilesJson]),
  { name: 'pprof', seeds: (s) => [s.pprofGzip, s.pprofAllocs, s.pprofRaw], rejects: isProfileError, decode: decodeAndUseProfile },
  { name: 'cpuprofile', text: true, seeds: (s) => [s.cpuprofile], rejects: isProfileError, decode: decodeAndUseProfile },
  { name: 'heapprofile', text: true, seeds: (s) => [s.heapprofile], rejects: isProfileError, decode: decodeAndUseProfile },
  { name: 'folded', text: true, seeds: (s) => [s.folded], rejects: isProfileError, decode: decodeAndUseProfile },
  { name: 'compact-trace', seeds: (s) => [s.compactTrace], rejects: isCompactError, decode: compactTraceRoundTrip },
  { name: 'compact-profile', seeds: (s) => [s.compactProfile], rejects: isCompactError, decode: compactProfileRoundTrip },
  ...FILE_TARGETS,
  FOLDER_TARGET,
];
