// The Services tree and CodeLens show a request operation's figures as the Golden
// Signals view does: server and consumer spans are counted by the golden-signal
// aggregates (every request since the engine started, errors including HTTP 5xx); other
// spans keep the figures of the stored spans.

import { sortByCountThenName } from '../aggregates/operationOrder.ts';
import type { FunctionStats, OperationStats } from '../../protocol/insights.ts';
import { LatencySketch } from './latencySketch.ts';
import type { SignalBucket, SignalStore } from './signalStore.ts';

export function operationsWithSignals(ops: OperationStats[], signals: SignalStore, service: string | undefined): OperationStats[] {
  const listed = new Set<string>();
  const out = ops.map((op): OperationStats => {
    listed.add(key(op.service, op.name));
    const totals = signals.operation(op.service, op.name);
    // Built field by field: spreading a few hundred objects here cost milliseconds.
    const { service: s, name, count, errorCount, p50Ms, p95Ms, lastSeen } = op;
    return totals ? { service: s, name, lastSeen, ...figures(totals), source: 'signals' } : { service: s, name, count, errorCount, p50Ms, p95Ms, lastSeen, source: 'spans' };
  });
  // Request operations whose spans were all evicted are still counted.
  for (const { service: svc, name, totals } of signals.operations(service)) {
    if (listed.has(key(svc, name))) continue;
    out.push({ service: svc, name, ...figures(totals), lastSeen: BigInt(Math.round(totals.lastNs)).toString(), source: 'signals' });
  }
  return sortByCountThenName(out);
}

export function functionsWithSignals(fns: FunctionStats[], signals: SignalStore): FunctionStats[] {
  return fns.map((fn): FunctionStats => {
    const totals = fn.operations.map((name) => signals.operation(fn.service, name));
    if (!totals.length || totals.some((t) => !t)) return { ...fn, source: 'spans' };
    const merged: SignalBucket = { requests: 0, errors: 0, sketch: new LatencySketch() };
    for (const t of totals) {
      merged.requests += t!.requests;
      merged.errors += t!.errors;
      merged.sketch.merge(t!.sketch);
    }
    const { count, errorCount, p95Ms } = figures(merged);
    return { ...fn, count, errorCount, p95Ms, source: 'signals' };
  });
}

function figures(b: SignalBucket): Pick<OperationStats, 'count' | 'errorCount' | 'p50Ms' | 'p95Ms'> {
  const [p50, p95] = b.sketch.quantiles([0.5, 0.95]);
  return { count: b.requests, errorCount: b.errors, p50Ms: roundMs(p50), p95Ms: roundMs(p95) };
}

function roundMs(ns: number): number {
  return Math.round(ns / 1e3) / 1e3;
}

function key(service: string, name: string): string {
  return `${service}\u0000${name}`;
}
