// Per-operation statistics (`GET /api/operations`): call count, errors and latency
// percentiles for each service and span name, from the span columns alone.

import type { OperationStats } from '../../protocol/insights.ts';
import { uint64ToDecimal } from '../otlp/protobuf/wire.ts';
import { SpanBits } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { optionalString } from './params.ts';

interface Tally {
  serviceId: number;
  nameId: number;
  durations: number[];
  errors: number;
  lastLo: number;
  lastHi: number;
}

export function operationStats(store: TraceStore, q: URLSearchParams): OperationStats[] {
  const service = optionalString(q, 'service');
  const serviceId = service === undefined ? -1 : store.services.find(service);
  if (serviceId === undefined) return [];
  const groupService = Int32Array.from(store.groups, (g) => g.serviceId);
  const tallies = new Map<number, Tally>();
  for (const chunk of store.chunks) {
    for (let i = 0; i < chunk.count; i++) {
      if (chunk.traces[i].evicted) continue;
      const s = groupService[chunk.group[i]];
      if (serviceId >= 0 && s !== serviceId) continue;
      const key = s * 0x100000000 + chunk.nameId[i];
      let t = tallies.get(key);
      if (!t) tallies.set(key, t = { serviceId: s, nameId: chunk.nameId[i], durations: [], errors: 0, lastLo: 0, lastHi: 0 });
      t.durations.push(chunk.durationNs[i]);
      if ((chunk.bits[i] & SpanBits.StatusMask) >> SpanBits.StatusShift === 2) t.errors++;
      const hi = chunk.startHi[i];
      const lo = chunk.startLo[i];
      if (hi > t.lastHi || (hi === t.lastHi && lo > t.lastLo)) {
        t.lastHi = hi;
        t.lastLo = lo;
      }
    }
  }
  return [...tallies.values()]
    .map((t) => ({
      service: store.services.values[t.serviceId],
      name: store.names.values[t.nameId],
      count: t.durations.length,
      errorCount: t.errors,
      p50Ms: percentileMs(t.durations, 0.5),
      p95Ms: percentileMs(t.durations, 0.95),
      lastSeen: uint64ToDecimal(t.lastLo, t.lastHi),
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Nearest-rank percentile of durations in nanoseconds, in milliseconds; sorts in place. */
export function percentileMs(durationsNs: number[], p: number): number {
  if (!durationsNs.length) return 0;
  durationsNs.sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil(p * durationsNs.length) - 1);
  return Math.round(durationsNs[rank] / 1e3) / 1e3;
}
