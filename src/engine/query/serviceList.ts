// Services seen in any signal (`GET /api/services`), with span and error counts from the
// span columns, and from the disk segments' shares of evicted spans when the disk tier is on.

import type { ServiceSummary } from '../../protocol/api.ts';
import { uint64ToDecimal } from '../otlp/protobuf/wire.ts';
import type { LogStore } from '../store/logStore.ts';
import type { MetricStore } from '../store/metricStore.ts';
import { SpanBits } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import type { ColdSpans } from '../aggregates/coldSpans.ts';

export function listServices(traces: TraceStore, logs: LogStore, metrics: MetricStore, cold: readonly ColdSpans[] = []): ServiceSummary[] {
  const n = traces.services.size;
  const spans = new Float64Array(n);
  const errors = new Float64Array(n);
  const lastLo = new Float64Array(n);
  const lastHi = new Float64Array(n);
  const groupService = Int32Array.from(traces.groups, (g) => g.serviceId);
  for (const chunk of traces.chunks) {
    for (let i = 0; i < chunk.count; i++) {
      if (chunk.traces[i].evicted) continue;
      const s = groupService[chunk.group[i]];
      spans[s]++;
      if ((chunk.bits[i] & SpanBits.StatusMask) >> SpanBits.StatusShift === 2) errors[s]++;
      const hi = chunk.startHi[i];
      const lo = chunk.startLo[i];
      if (hi > lastHi[s] || (hi === lastHi[s] && lo > lastLo[s])) {
        lastHi[s] = hi;
        lastLo[s] = lo;
      }
    }
  }
  const out = new Map<string, ServiceSummary>();
  traces.services.values.forEach((name, s) => {
    if (spans[s]) out.set(name, { name, spanCount: spans[s], errorCount: errors[s], lastSeen: uint64ToDecimal(lastLo[s], lastHi[s]) });
  });
  for (const share of cold) {
    for (const [name, c] of share.services) {
      const s = out.get(name);
      if (!s) {
        out.set(name, { name, spanCount: c.spans, errorCount: c.errors, lastSeen: uint64ToDecimal(c.lastLo, c.lastHi) });
        continue;
      }
      s.spanCount += c.spans;
      s.errorCount += c.errors;
      if (BigInt(uint64ToDecimal(c.lastLo, c.lastHi)) > BigInt(s.lastSeen)) s.lastSeen = uint64ToDecimal(c.lastLo, c.lastHi);
    }
  }
  for (const name of [...logs.services.values, ...metrics.services.values]) {
    if (!out.has(name)) out.set(name, { name, spanCount: 0, errorCount: 0, lastSeen: '0' });
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
