// Trace compare (`GET /api/compare`): two traces merged into one tree, or two groups of
// traces of one operation compared per span name. Times in milliseconds.

import type { SourceLocation } from './webview.ts';

export interface CompareNode {
  service: string;
  name: string;
  depth: number;
  /** Duration in trace A and in trace B; null where the span is only in the other. */
  aMs: number | null;
  bMs: number | null;
  /** bMs − aMs, with a missing side counted as 0. */
  deltaMs: number;
  /** The span's own time (not covered by children), in each trace. */
  aSelfMs: number | null;
  bSelfMs: number | null;
  selfDeltaMs: number;
  only: 'a' | 'b' | null;
  aSpanId?: string;
  bSpanId?: string;
  /** On the critical path of A, of B. */
  aCritical: boolean;
  bCritical: boolean;
  source?: SourceLocation;
  /** Largest |deltaMs| first. */
  children: CompareNode[];
}

export interface CompareSide {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  criticalPath: { service: string; name: string; spanId: string; blockingMs: number }[];
}

/** One aligned span, flattened: where the difference comes from. */
export interface CompareDifference {
  /** service: name of each ancestor and the span, root first. */
  path: string[];
  service: string;
  name: string;
  aMs: number | null;
  bMs: number | null;
  deltaMs: number;
  selfDeltaMs: number;
  only: 'a' | 'b' | null;
  aSpanId?: string;
  bSpanId?: string;
  source?: SourceLocation;
}

export interface TraceCompareResponse {
  kind: 'traces';
  /** How B was chosen: given, the previous trace of A's root operation, or the median of the last N. */
  basis: 'pair' | 'previous' | 'median';
  a: CompareSide;
  b: CompareSide;
  deltaMs: number;
  tree: CompareNode[];
  /** Largest |selfDeltaMs| first: the spans whose own time changed most. */
  differences: CompareDifference[];
  /** Changed spans not listed in differences (the list is capped). */
  moreDifferences: number;
}

export interface GroupFigures {
  /** Spans of this name per trace, on average. */
  perTrace: number;
  p50Ms: number;
  p95Ms: number;
}

export interface GroupCompareRow {
  service: string;
  name: string;
  before: GroupFigures | null;
  after: GroupFigures | null;
  deltaP50Ms: number;
  deltaP95Ms: number;
}

export interface GroupCompareResponse {
  kind: 'groups';
  service: string;
  operation: string;
  /** Unix nanoseconds: traces starting before it are "before", the others "after". */
  at: string;
  before: { traces: number; traceIds: string[]; p50Ms: number; p95Ms: number };
  after: { traces: number; traceIds: string[]; p50Ms: number; p95Ms: number };
  /** Largest contribution to the change of a trace's p50 first. */
  spans: GroupCompareRow[];
}

export type CompareResponse = TraceCompareResponse | GroupCompareResponse;
