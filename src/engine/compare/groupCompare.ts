// Group compare: the last N traces of one root operation before a time against the N
// after it (the time a user marks, e.g. an edit), per span name: p50 and p95 of the
// spans' durations, and how often the span occurs per trace.

import type { TraceSummary } from '../../protocol/api.ts';
import type { GroupCompareResponse, GroupCompareRow, GroupFigures } from '../../protocol/compare.ts';
import { loadSpanTree } from '../analysis/spanTree.ts';
import { QueryError } from '../query/params.ts';
import type { TraceSource } from '../disk/bothTiers.ts';
import { round } from './mergeTrees.ts';
import { runsOf } from './traceCompare.ts';

export interface GroupQuery {
  service: string;
  operation: string;
  /** Unix nanoseconds: the before group starts before it. */
  before: bigint;
  /** Unix nanoseconds: the after group starts at or after it. */
  after: bigint;
  n: number;
}

export function compareGroups(source: TraceSource, q: GroupQuery): GroupCompareResponse {
  const runs = runsOf(source, q.service, q.operation, {});
  const before = runs.filter((t) => BigInt(t.startTimeUnixNano) < q.before).slice(0, q.n);
  // The N right after the mark, not the newest N: the change is what happened at the mark.
  const after = runs.filter((t) => BigInt(t.startTimeUnixNano) >= q.after).slice(-q.n);
  const what = `"${q.operation}" of ${q.service}`;
  if (!runs.length) throw new QueryError('operation', `no trace whose root span is ${what} is in the store`);
  if (!before.length) throw new QueryError('before', `no trace of ${what} started before the mark; move it later`);
  if (!after.length) throw new QueryError('after', `no trace of ${what} started after the mark; move it earlier or send more requests`);
  const b = tally(source, before);
  const a = tally(source, after);
  const keys = new Set([...b.spans.keys(), ...a.spans.keys()]);
  const spans: GroupCompareRow[] = [...keys].map((key) => {
    const [service, name] = key.split('\u0000');
    const x = figures(b.spans.get(key), before.length);
    const y = figures(a.spans.get(key), after.length);
    return { service, name, before: x, after: y, deltaP50Ms: round((y?.p50Ms ?? 0) - (x?.p50Ms ?? 0)), deltaP95Ms: round((y?.p95Ms ?? 0) - (x?.p95Ms ?? 0)) };
  });
  // What a span name adds to a typical trace: its median times how often it runs.
  const contribution = (r: GroupCompareRow) => Math.abs((r.after ? r.after.p50Ms * r.after.perTrace : 0) - (r.before ? r.before.p50Ms * r.before.perTrace : 0));
  spans.sort((p, q) => contribution(q) - contribution(p) || Math.abs(q.deltaP95Ms) - Math.abs(p.deltaP95Ms));
  return {
    kind: 'groups', service: q.service, operation: q.operation, at: String(q.after),
    before: { traces: before.length, traceIds: before.map((t) => t.traceId), p50Ms: quantile(b.durations, 0.5), p95Ms: quantile(b.durations, 0.95) },
    after: { traces: after.length, traceIds: after.map((t) => t.traceId), p50Ms: quantile(a.durations, 0.5), p95Ms: quantile(a.durations, 0.95) },
    spans,
  };
}

function tally(source: TraceSource, traces: TraceSummary[]): { durations: number[]; spans: Map<string, number[]> } {
  const spans = new Map<string, number[]>();
  const durations: number[] = [];
  for (const t of traces) {
    const tree = loadSpanTree(source.storeOf(t.traceId), t.traceId);
    durations.push(tree.durationNs / 1e6);
    for (const s of tree.spans) {
      const key = `${s.service}\u0000${s.name}`;
      const list = spans.get(key);
      if (list) list.push((s.end - s.start) / 1e6);
      else spans.set(key, [(s.end - s.start) / 1e6]);
    }
  }
  return { durations, spans };
}

function figures(ms: number[] | undefined, traces: number): GroupFigures | null {
  if (!ms?.length) return null;
  return { perTrace: round(ms.length / traces), p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95) };
}

/** Nearest-rank quantile. */
function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]);
}
