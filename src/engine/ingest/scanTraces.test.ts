// The fast scanner against the full decoder: it reads the same facts from real SDK
// output, and any request it accepts — however mangled — stores only spans that the
// full decoder can read back (the store decodes them lazily, long after ingest).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { recordSpans } from '../otlp/testSupport/sdkTelemetry.ts';
import { decodeSpan, decodeTracesRequest } from '../otlp/protobuf/traces.ts';
import { DecodeError } from '../otlp/protobuf/wire.ts';
import { ScannedSpans, scanTracesRequest } from './scanTraces.ts';

const request = Buffer.from(ProtobufTraceSerializer.serializeRequest(recordSpans())!);

describe('the trace scanner', () => {
  it('reads the same ids, names, kinds, statuses and times as the full decoder', () => {
    const scanned = new ScannedSpans();
    scanTracesRequest(request, scanned);
    const spans = (decodeTracesRequest(request).resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
    assert.equal(scanned.count, spans.length);
    spans.forEach((span, i) => {
      assert.deepEqual(decodeSpan(request, scanned.start[i], scanned.end[i]), span);
      assert.equal(Buffer.from(scanned.traceKey[i], 'latin1').toString('hex'), span.traceId);
      assert.equal(scanned.name[i], span.name);
      assert.equal(scanned.bits[i] & 7, span.kind ?? 0);
      assert.equal((scanned.bits[i] >> 3) & 3, span.status?.code ?? 0);
      assert.equal((scanned.bits[i] & 0x20) !== 0, !!span.parentSpanId);
      const start = BigInt(span.startTimeUnixNano!);
      assert.equal(BigInt(scanned.startHi[i]) * 2n ** 32n + BigInt(scanned.startLo[i]), start);
      assert.equal(BigInt(scanned.durationNs[i]), BigInt(span.endTimeUnixNano!) - start);
    });
  });

  it('never accepts a span the full decoder cannot read (2,000 mangled requests)', () => {
    let seed = 42;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const scanned = new ScannedSpans();
    let accepted = 0;
    for (let n = 0; n < 2000; n++) {
      const bytes = Buffer.from(request);
      for (let k = 1 + Math.floor(random() * 4); k > 0; k--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const mangled = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      try {
        scanTracesRequest(mangled, scanned);
      } catch (err) {
        assert.ok(err instanceof DecodeError, `only DecodeError, got ${(err as Error).name}: ${(err as Error).message}`);
        continue;
      }
      accepted++;
      for (let i = 0; i < scanned.count; i++) decodeSpan(mangled, scanned.start[i], scanned.end[i]);
    }
    assert.ok(accepted > 100, `${accepted} mangled requests were accepted and decoded`);
  });
});
