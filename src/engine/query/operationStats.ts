// Per-operation statistics (`GET /api/operations`): call count, errors and latency
// percentiles for each service and span name, from the span columns alone.

import type { OperationStats } from '../../protocol/insights.ts';
import { uint64ToDecimal } from '../otlp/protobuf/wire.ts';
import { SpanBits } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { optionalString } from './params.ts';
import type { SignalStore } from '../signals/signalStore.ts';

interface Tally {
  serviceId: number;
  nameId: number;
  durations: number[];
  errors: number;
  lastLo: number;
  lastHi: number;
}

/**
 * Server and consumer operations take their figures from the golden-signal aggregates
 * (`signals`): all requests since the engine started, errors counting HTTP 5xx too, as
 * the Golden Signals view shows them. Other spans are counted from the stored spans.
 */
export function operationStats(store: TraceStore, q: URLSearchParams, signals?: SignalStore): OperationStats[] {
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
  const fromSpans = [...tallies.values()]
    .map((t): OperationStats => {
      const service = store.services.values[t.serviceId];
      const name = store.names.values[t.nameId];
      const requests = signals?.operation(service, name);
      const lastSeen = uint64ToDecimal(t.lastLo, t.lastHi);
      if (requests) {
        const [p50, p95] = requests.sketch.quantiles([0.5, 0.95]);
        return { service, name, count: requests.requests, errorCount: requests.errors, p50Ms: roundMs(p50), p95Ms: roundMs(p95), lastSeen, source: 'signals' };
      }
      return { service, name, count: t.durations.length, errorCount: t.errors, p50Ms: percentileMs(t.durations, 0.5), p95Ms: percentileMs(t.durations, 0.95), lastSeen, source: 'spans' };
    });
  // Request operations whose spans were all evicted are still counted.
  const listed = new Set(fromSpans.map((o) => `${o.service}\u0000${o.name}`));
  const onlyCounted = (signals?.operations(service) ?? [])
    .filter((o) => !listed.has(`${o.service}\u0000${o.name}`))
    .map(({ service: svc, name, totals }): OperationStats => {
      const [p50, p95] = totals.sketch.quantiles([0.5, 0.95]);
      return { service: svc, name, count: totals.requests, errorCount: totals.errors, p50Ms: roundMs(p50), p95Ms: roundMs(p95), lastSeen: BigInt(Math.round(totals.lastNs)).toString(), source: 'signals' };
    });
  return [...fromSpans, ...onlyCounted]
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function roundMs(ns: number): number {
  return Math.round(ns / 1e3) / 1e3;
}

/** Nearest-rank percentile of durations in nanoseconds, in milliseconds; sorts in place. */
export function percentileMs(durationsNs: number[], p: number): number {
  if (!durationsNs.length) return 0;
  durationsNs.sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil(p * durationsNs.length) - 1);
  return Math.round(durationsNs[rank] / 1e3) / 1e3;
}
