// Valid inputs the mutations start from: what real SDKs and profilers write.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { HEADER_BYTES, writeRecord } from '../../src/engine/disk/record.ts';
import { buildBloom, emptyIndex, writeIndex } from '../../src/engine/disk/segmentIndex.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { Encoding, Signal } from '../../src/engine/ingest/ingest.ts';
import { decodeProfile } from '../../src/engine/profiles/decodeProfile.ts';
import { compactTraceBytes } from '../../src/engine/query/traceColumns.ts';
import { traceKeyFromHex } from '../../src/engine/store/traceEntry.ts';
import { profilesRequestProtobuf, sampleProfilesRequest } from '../../src/engine/otlp/testSupport/profilesRequest.ts';
import { recordLogs, recordMetrics, recordSpans } from '../../src/engine/otlp/testSupport/sdkTelemetry.ts';
import { encodeCompactProfile } from '../../src/shared/profile/codec.ts';

const FIXTURES = join(__dirname, '..', '..', 'src', 'engine', 'profiles', 'fixtures');
const TELEMETRY_FILES = join(__dirname, '..', 'files');

export interface Seeds {
  tracesProtobuf: Buffer;
  tracesJson: Buffer;
  logsProtobuf: Buffer;
  logsJson: Buffer;
  metricsProtobuf: Buffer;
  metricsJson: Buffer;
  profilesProtobuf: Buffer;
  profilesJson: Buffer;
  pprofGzip: Buffer;
  pprofAllocs: Buffer;
  pprofRaw: Buffer;
  cpuprofile: Buffer;
  heapprofile: Buffer;
  folded: Buffer;
  compactTrace: Buffer;
  compactProfile: Buffer;
  /** A disk tier segment file: one record of each signal. */
  segment: Buffer;
  /** The index file written beside that segment. */
  segmentIndex: Buffer;
  /** Telemetry files as users open them (test/files): OTLP/JSON, JSON Lines, gzipped, Jaeger. */
  telemetryFiles: Buffer[];
  jaeger: Buffer;
}

const cpuprofile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [2, 3, 4] },
    { id: 2, callFrame: { functionName: 'main', url: 'file:///app.js', lineNumber: 3, columnNumber: 9 }, hitCount: 3, children: [5] },
    { id: 3, callFrame: { functionName: '(idle)', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 2 },
    { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 1 },
    { id: 5, callFrame: { functionName: '', url: 'file:///app.js', lineNumber: 10, columnNumber: 2 }, hitCount: 4 },
  ],
  startTime: 1000, endTime: 2000, samples: [2, 5, 5, 3, 4, 5, 2, 3], timeDeltas: [10, 100, -5, 200, 50, 100, 100, 100],
};

const heapprofile = {
  head: {
    callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1,
    children: [
      { callFrame: { functionName: 'alloc', url: 'file:///a.js', lineNumber: 0, columnNumber: 0 }, selfSize: 4096, id: 2, children: [] },
      { callFrame: { functionName: 'parse', url: 'file:///b.js', lineNumber: 7, columnNumber: 3 }, selfSize: 100, id: 3, children: [{ callFrame: { functionName: 'inner', url: 'file:///b.js', lineNumber: 9, columnNumber: 1 }, selfSize: 64, id: 4, children: [] }] },
    ],
  },
  samples: [{ size: 4096, nodeId: 2, ordinal: 1 }, { size: 64, nodeId: 4, ordinal: 2 }],
};

/** A segment as the disk tier writes it, and its index as written beside it. */
function diskSeeds(traces: Buffer, logs: Buffer, metricsJson: Buffer, profiles: Buffer): { segment: Buffer; segmentIndex: Buffer } {
  const records: [Signal, Encoding, Buffer][] = [['traces', 'protobuf', traces], ['logs', 'protobuf', logs], ['metrics', 'json', metricsJson], ['profiles', 'protobuf', profiles]];
  const segment = Buffer.alloc(records.reduce((n, [, , body]) => n + HEADER_BYTES + body.length, 0));
  let at = 0;
  const index = emptyIndex('seg-0000000000000000.log', 0);
  for (const [seq, [signal, encoding, body]] of records.entries()) {
    const receivedAt = 1_700_000_000_000 + seq;
    at = writeRecord(segment, at, signal, encoding, seq, receivedAt, body);
    index.records++;
    index.signals[signal]++;
    index.lastSeq = seq;
    index.firstReceivedMs = Math.min(index.firstReceivedMs, receivedAt);
    index.lastReceivedMs = receivedAt;
  }
  Object.assign(index, { bytes: segment.length, minTimeNs: 1.7e18, maxTimeNs: 1.7e18 + 5e8, services: ['checkout', 'logger'] });
  index.counts = { spans: 3, logs: 2, metricPoints: 4, profiles: 1 };
  index.traceBloom = buildBloom([0x1234, 0xdeadbeef, 7], 3);
  const dir = mkdtempSync(join(tmpdir(), 'loupe-fuzz-seed-'));
  try {
    writeIndex(join(dir, 'seg-0000000000000000.log.idx'), index);
    return { segment, segmentIndex: readFileSync(join(dir, 'seg-0000000000000000.log.idx')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let cached: Seeds | undefined;

export async function seeds(): Promise<Seeds> {
  if (cached) return cached;
  const spans = recordSpans();
  const logs = recordLogs();
  const metrics = await recordMetrics();
  const pprofGzip = readFileSync(join(FIXTURES, 'go-cpu.pb.gz'));
  const engine = new Engine({ memoryBudgetBytes: 8 * 1048576 });
  const tracesProtobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  engine.export('traces', tracesProtobuf, 'protobuf', 'http');
  const trace = engine.traces.get(traceKeyFromHex(spans[0].spanContext().traceId)!)!;
  cached = {
    tracesProtobuf,
    tracesJson: Buffer.from(JsonTraceSerializer.serializeRequest(spans)!),
    logsProtobuf: Buffer.from(ProtobufLogsSerializer.serializeRequest(logs)!),
    logsJson: Buffer.from(JsonLogsSerializer.serializeRequest(logs)!),
    metricsProtobuf: Buffer.from(ProtobufMetricsSerializer.serializeRequest(metrics)!),
    metricsJson: Buffer.from(JsonMetricsSerializer.serializeRequest(metrics)!),
    profilesProtobuf: profilesRequestProtobuf(sampleProfilesRequest()),
    profilesJson: Buffer.from(JSON.stringify(sampleProfilesRequest())),
    pprofGzip,
    pprofAllocs: readFileSync(join(FIXTURES, 'go-allocs.pb.gz')),
    pprofRaw: gunzipSync(pprofGzip),
    cpuprofile: Buffer.from(JSON.stringify(cpuprofile)),
    heapprofile: Buffer.from(JSON.stringify(heapprofile)),
    folded: Buffer.from('main;a;b 10\nmain;a;c 5\nmain;d 1\nmain;\u00e9t\u00e9;x@file.go:12 3\n'),
    compactTrace: Buffer.from(compactTraceBytes(engine.traces, trace)),
    compactProfile: Buffer.from(encodeCompactProfile(decodeProfile(pprofGzip))),
    ...diskSeeds(tracesProtobuf, Buffer.from(ProtobufLogsSerializer.serializeRequest(logs)!), Buffer.from(JsonMetricsSerializer.serializeRequest(metrics)!), profilesRequestProtobuf(sampleProfilesRequest())),
    telemetryFiles: ['checkout.otlp.json', 'checkout.otlp.jsonl', 'checkout.otlp.jsonl.gz', 'broken-line.otlp.jsonl'].map((f) => readFileSync(join(TELEMETRY_FILES, f))),
    jaeger: readFileSync(join(TELEMETRY_FILES, 'jaeger-export.json')),
  };
  engine.scraper.stop();
  engine.textIndexer.stop();
  engine.logTextIndexer.stop();
  return cached;
}
