// compare_traces and compare_before_after: trace compare for a model — where two runs
// of a request differ, and how an operation changed around a moment.

import type { CompareDifference } from '../../protocol/compare.ts';
import { compareGroups } from '../compare/groupCompare.ts';
import { MAX_GROUP } from '../compare/compareQuery.ts';
import { compareTraces } from '../compare/traceCompare.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import { defineTool, ToolInputError } from './agentTool.ts';
import { at, isoTime, ms, quote, Report, signedMs } from './report.ts';

export const compareTracesTool = defineTool({
  name: 'compare_traces',
  reference: 'loupeCompare',
  title: 'Compare two traces',
  description: 'Compares trace A with trace B, with the previous trace of the same root operation, or with the trace of median duration ' +
    'among the last N of it. Spans are aligned by service, name and position; the answer lists the spans whose own time changed most ' +
    '(with file:line), spans found in only one trace, and the critical path of each. Answers "what changed?".',
  input: (z) => ({
    traceId: z.string().describe('Trace A (32 hex digits), usually the newer or slower one'),
    otherTraceId: z.string().optional().describe('Trace B; leave out to use "against"'),
    against: z.enum(['previous', 'median']).optional().describe('Without otherTraceId: the previous run of the same operation (default), or the median of the last n'),
    n: z.number().int().min(1).max(MAX_GROUP).optional().describe('With against=median: how many earlier runs (default 10)'),
  }),
  async run(engine, args, budget) {
    if (args.otherTraceId && args.against) throw new ToolInputError('give either otherTraceId or against, not both');
    const against = args.otherTraceId ? { traceId: args.otherTraceId.trim() }
      : args.against === 'median' ? { medianOf: args.n ?? 10 } : { previous: true as const };
    // The tool speaks of the trace asked about (A) against its reference: "slower by".
    const c = compareTraces(await BothTiers.read(engine), args.traceId.trim(), against);
    const report = new Report(budget);
    const basis = c.basis === 'pair' ? 'the given trace' : c.basis === 'previous' ? 'the previous run of the same operation' : `the median-duration run of the last ${args.n ?? 10}`;
    report.line(`A ${c.a.traceId}: ${quote(c.a.rootService, 60)}: ${quote(c.a.rootName, 100)}, ${ms(c.a.durationMs)}, ${c.a.spanCount} spans, started ${isoTime(c.a.startTimeUnixNano)}`);
    report.line(`B ${c.b.traceId} (${basis}): ${quote(c.b.rootService, 60)}: ${quote(c.b.rootName, 100)}, ${ms(c.b.durationMs)}, ${c.b.spanCount} spans, started ${isoTime(c.b.startTimeUnixNano)}`);
    report.line(`A is ${c.deltaMs <= 0 ? 'slower' : 'faster'} than B by ${ms(Math.abs(c.deltaMs))}. Deltas below are A − B.`);
    report.section('Largest changes in own time (A − B | A | B | span | where):', c.differences.map((d) => differenceLine(d)), 'aligned spans', c.moreDifferences);
    const path = (p: typeof c.a.criticalPath) => p.filter((s) => s.blockingMs > 0).map((s) => `- ${quote(s.service, 60)}: ${quote(s.name, 100)} [span ${s.spanId}] ${ms(s.blockingMs)}`);
    report.section('Critical path of A:', path(c.a.criticalPath), 'critical-path spans of A');
    report.section('Critical path of B:', path(c.b.criticalPath), 'critical-path spans of B');
    return report.toString();
  },
});

/** The API measures B − A; for the model A is the trace in question, so signs flip. */
function differenceLine(d: CompareDifference): string {
  const only = d.only === 'a' ? ' (only in A)' : d.only === 'b' ? ' (only in B)' : '';
  const ids = [d.aSpanId && `A span ${d.aSpanId}`, d.bSpanId && `B span ${d.bSpanId}`].filter(Boolean).join(', ');
  return `- ${signedMs(-d.selfDeltaMs)} own | ${d.aMs === null ? '–' : ms(d.aMs)} | ${d.bMs === null ? '–' : ms(d.bMs)} | ${quote(d.service, 60)}: ${quote(d.name, 100)}${only} [${ids}]${at(d.source)}`;
}

export const compareBeforeAfterTool = defineTool({
  name: 'compare_before_after',
  reference: 'loupeBeforeAfter',
  title: 'Compare an operation before and after a time',
  description: 'Compares the last N traces of one root operation that started before a time with the N that started after it ' +
    '(e.g. when the user changed the code): per span name, p50 and p95 duration and how often it runs per trace, biggest change first.',
  input: (z) => ({
    service: z.string().describe('Service of the root span'),
    operation: z.string().describe('Root span name, e.g. "GET /checkout"'),
    at: z.string().describe('The moment to compare around: ISO 8601 time, or "-10m" for ten minutes ago'),
    n: z.number().int().min(1).max(MAX_GROUP).optional().describe('Traces on each side (default 20)'),
  }),
  async run(engine, args, budget) {
    const atNs = momentNs(args.at);
    const g = compareGroups(await BothTiers.read(engine), { service: args.service, operation: args.operation, before: atNs, after: atNs, n: args.n ?? 20 });
    const report = new Report(budget);
    report.line(`${quote(g.service, 60)}: ${quote(g.operation, 100)} around ${isoTime(g.at)}: before ${g.before.traces} traces p50 ${ms(g.before.p50Ms)} p95 ${ms(g.before.p95Ms)}; after ${g.after.traces} traces p50 ${ms(g.after.p50Ms)} p95 ${ms(g.after.p95Ms)}.`);
    report.line(`Example traces: before ${g.before.traceIds.slice(0, 3).join(', ')}; after ${g.after.traceIds.slice(0, 3).join(', ')}`);
    const f = (x: { perTrace: number; p50Ms: number; p95Ms: number } | null) => (x ? `${ms(x.p50Ms)}/${ms(x.p95Ms)} ×${x.perTrace}` : 'absent');
    report.section('Span names by change (p50 change | before p50/p95 ×per trace | after | span):', g.spans.map((r) =>
      `- ${signedMs(r.deltaP50Ms)} | ${f(r.before)} | ${f(r.after)} | ${quote(r.service, 60)}: ${quote(r.name, 100)}`), 'span names');
    return report.toString();
  },
});

function momentNs(text: string): bigint {
  const relative = /^\s*-(\d+(?:\.\d+)?)\s*(s|m|h)\s*$/.exec(text);
  if (relative) {
    const seconds = Number(relative[1]) * { s: 1, m: 60, h: 3600 }[relative[2] as 's' | 'm' | 'h'];
    return BigInt(Date.now() - Math.round(seconds * 1000)) * 1_000_000n;
  }
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new ToolInputError(`at: expected an ISO 8601 time such as 2026-01-02T10:00:00Z or a relative time such as "-10m", got ${quote(text, 40)}`);
  return BigInt(t) * 1_000_000n;
}
