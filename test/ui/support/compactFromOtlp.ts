// OTLP/JSON spans as the engine would send them to the page: through the compact trace
// builder and its byte codec, so model tests exercise the same path as the UI.

import type { KeyValue, TracesData } from '../../../src/protocol/otlp.ts';
import { SpanFlag, type CompactTrace } from '../../../src/protocol/compactTrace.ts';
import { decodeCompactTrace } from '../../../src/shared/trace/codec.ts';
import { CompactTraceBuilder } from '../../../src/shared/trace/compactTraceBuilder.ts';

const latin1 = (hex: string | undefined) => (hex ? Buffer.from(hex, 'hex').toString('latin1') : '');

export function compactFromOtlp(data: TracesData): CompactTrace {
  const first = data.resourceSpans?.[0]?.scopeSpans?.[0]?.spans?.[0];
  const builder = new CompactTraceBuilder(first?.traceId ?? '0'.repeat(32));
  for (const rs of data.resourceSpans ?? []) {
    const service = serviceName(rs.resource?.attributes ?? []);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const start = BigInt(span.startTimeUnixNano ?? '0');
        const end = BigInt(span.endTimeUnixNano ?? '0');
        const events = span.events ?? [];
        builder.add({
          spanKey: latin1(span.spanId), parentKey: latin1(span.parentSpanId),
          startLo: Number(start & 0xffffffffn), startHi: Number(start >> 32n),
          durationNs: end > start ? Number(end - start) : 0,
          service, name: span.name ?? '', kind: span.kind ?? 0, status: span.status?.code ?? 0,
          flags: (span.parentSpanId ? SpanFlag.HasParentId : 0) | (events.length ? SpanFlag.HasEvents : 0) |
            (events.some((e) => e.name === 'exception') ? SpanFlag.HasException : 0) | (span.links?.length ? SpanFlag.HasLinks : 0),
        });
      }
    }
  }
  return decodeCompactTrace(builder.encode());
}

function serviceName(resource: KeyValue[]): string {
  const v = resource.find((a) => a.key === 'service.name')?.value;
  return v && 'stringValue' in v ? String(v.stringValue) : 'unknown_service';
}
