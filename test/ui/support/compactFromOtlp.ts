// OTLP/JSON spans as the engine would send them to the page: through the compact trace
// builder and its byte codec, so model tests exercise the same path as the UI.

import type { KeyValue, TracesData } from '../../../src/protocol/otlp.ts';
import { SpanFlag, type CompactTrace } from '../../../src/protocol/compactTrace.ts';
import { decodeCompactTrace } from '../../../src/shared/trace/codec.ts';
import { CompactTraceBuilder } from '../../../src/shared/trace/compactTraceBuilder.ts';

export function compactFromOtlp(data: TracesData): CompactTrace {
  const first = data.resourceSpans?.[0]?.scopeSpans?.[0]?.spans?.[0];
  const builder = new CompactTraceBuilder(first?.traceId ?? '0'.repeat(32));
  for (const rs of data.resourceSpans ?? []) {
    const service = builder.string(serviceName(rs.resource?.attributes ?? []));
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const start = BigInt(span.startTimeUnixNano ?? '0');
        const end = BigInt(span.endTimeUnixNano ?? '0');
        const events = span.events ?? [];
        const id = Buffer.from((span.spanId ?? '').padStart(16, '0'), 'hex');
        const parent = Buffer.from((span.parentSpanId ?? '').padStart(16, '0'), 'hex');
        builder.add(id, 0, parent, span.parentSpanId ? 0 : -1, Number(start & 0xffffffffn), Number(start >> 32n),
          end > start ? Number(end - start) : 0, service, builder.string(span.name ?? ''), span.kind ?? 0, span.status?.code ?? 0,
          (span.parentSpanId ? SpanFlag.HasParentId : 0) | (events.length ? SpanFlag.HasEvents : 0) |
            (events.some((e) => e.name === 'exception') ? SpanFlag.HasException : 0) | (span.links?.length ? SpanFlag.HasLinks : 0));
      }
    }
  }
  return decodeCompactTrace(builder.encode());
}

function serviceName(resource: KeyValue[]): string {
  const v = resource.find((a) => a.key === 'service.name')?.value;
  return v && 'stringValue' in v ? String(v.stringValue) : 'unknown_service';
}
