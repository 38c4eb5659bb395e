// `GET /api/compare`: trace A against trace B, against the previous trace of A's root
// operation, or against the trace of median duration among the last N of it. Traces are
// read from a TraceSource: memory and the disk tier as one store.

import type { TraceSummary } from '../../protocol/api.ts';
import type { CompareSide, TraceCompareResponse } from '../../protocol/compare.ts';
import { criticalPath } from '../analysis/criticalPath.ts';
import { loadSpanTree, type SpanTree } from '../analysis/spanTree.ts';
import { QueryError } from '../query/params.ts';
import { searchTraces } from '../query/traceSearch.ts';
import type { TraceStore } from '../store/traceStore.ts';
import type { TraceSource } from '../disk/bothTiers.ts';
import { mergeTrees, round } from './mergeTrees.ts';

export type CompareAgainst = { traceId: string } | { previous: true } | { medianOf: number };

/** Traces of an operation read to find earlier ones: enough for any N the API takes. */
const SCAN = 1000;

export function compareTraces(source: TraceSource, aId: string, against: CompareAgainst): TraceCompareResponse {
  const aStore = source.storeOf(aId);
  const aTree = loadSpanTree(aStore, aId, 'a');
  const a = summaryOf(aStore, aTree.traceId);
  let bId: string;
  let basis: TraceCompareResponse['basis'];
  if ('traceId' in against) {
    bId = against.traceId;
    basis = 'pair';
  } else {
    const earlier = earlierRuns(source, a, 'previous' in against ? 1 : against.medianOf);
    const what = `"${a.rootName}" of ${a.rootService}`;
    if (!earlier.length) throw new QueryError('b', `no earlier trace of ${what} is in the store to compare with; pick two traces with a= and b=`);
    if ('previous' in against) {
      bId = earlier[0].traceId;
      basis = 'previous';
    } else {
      const byDuration = [...earlier].sort((p, q) => Number(BigInt(p.durationNanos) - BigInt(q.durationNanos)));
      bId = byDuration[(byDuration.length - 1) >> 1].traceId;
      basis = 'median';
    }
  }
  const bStore = source.storeOf(bId);
  const bTree = loadSpanTree(bStore, bId, 'b');
  const merged = mergeTrees(aTree, bTree);
  const sideA = side(aTree, a);
  const sideB = side(bTree, summaryOf(bStore, bTree.traceId));
  return { kind: 'traces', basis, a: sideA, b: sideB, deltaMs: round(sideB.durationMs - sideA.durationMs), ...merged };
}

/** The traces with the same root operation that started before `a`, newest first. */
export function earlierRuns(source: TraceSource, a: TraceSummary, n: number): TraceSummary[] {
  const before = BigInt(a.startTimeUnixNano);
  return runsOf(source, a.rootService, a.rootName, { end: Number(before) })
    .filter((t) => t.traceId !== a.traceId && BigInt(t.startTimeUnixNano) <= before)
    .slice(0, n);
}

/** Traces whose root span is `operation` of `service`, newest first. */
export function runsOf(source: TraceSource, service: string, operation: string, range: { start?: number; end?: number }): TraceSummary[] {
  return source.search({ service, operation, attrs: [], limit: SCAN, ...range })
    .filter((t) => t.hasRoot !== false && t.rootService === service && t.rootName === operation);
}

export function summaryOf(store: TraceStore, traceId: string): TraceSummary {
  const [summary] = searchTraces(store, { q: traceId, attrs: [], limit: 1 });
  if (!summary) throw new QueryError('traceId', `trace ${traceId} is not in the store (never received, or evicted)`);
  return summary;
}

function side(tree: SpanTree, summary: TraceSummary): CompareSide {
  return {
    traceId: tree.traceId,
    rootService: summary.rootService,
    rootName: summary.rootName,
    startTimeUnixNano: summary.startTimeUnixNano,
    durationMs: round(tree.durationNs / 1e6),
    spanCount: tree.spans.length,
    errorCount: tree.spans.filter((s) => s.error).length,
    criticalPath: criticalPath(tree).map((p) => ({ service: p.span.service, name: p.span.name, spanId: p.span.spanId, blockingMs: round(p.blockingNs / 1e6) })),
  };
}
