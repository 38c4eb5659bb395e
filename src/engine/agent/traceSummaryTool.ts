// trace_summary: one trace as a model needs it — where the time went (critical path,
// slowest spans by own time), what failed, and the source lines behind both.

import { criticalPath } from '../analysis/criticalPath.ts';
import { loadSpanTree, selfTime, type TreeSpan } from '../analysis/spanTree.ts';
import { summaryOf } from '../compare/traceCompare.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import { defineTool } from './agentTool.ts';
import { at, isoTime, ms, quote, Report } from './report.ts';

export const traceSummaryTool = defineTool({
  name: 'trace_summary',
  reference: 'loupeTrace',
  title: 'Summarize a trace',
  description: 'Summarizes one trace recorded by Loupe: its critical path (the chain of spans the request waited on), ' +
    'the slowest spans by their own time, errors and exceptions, each with span id and source location (file:line) when the telemetry has one.',
  input: (z) => ({
    traceId: z.string().describe('Trace id, 32 hex digits (from search_traces, recent_errors or the user)'),
  }),
  async run(engine, args, budget) {
    // Memory, or the disk tier for a trace memory evicted.
    const store = (await BothTiers.read(engine)).storeOf(args.traceId.trim());
    const tree = loadSpanTree(store, args.traceId.trim());
    const summary = summaryOf(store, tree.traceId);
    const report = new Report(budget);
    const label = (s: TreeSpan) => `${quote(s.service, 60)}: ${quote(s.name, 100)} [span ${s.spanId}]`;
    report.line(`Trace ${tree.traceId}: ${quote(summary.rootService, 60)}: ${quote(summary.rootName, 100)}, ${ms(tree.durationNs / 1e6)}, ` +
      `${tree.spans.length} spans, ${summary.errorCount} with error status, services ${summary.services.map((s) => quote(s, 40)).join(', ')}, started ${isoTime(summary.startTimeUnixNano)}` +
      (summary.hasRoot ? '' : ' (root span not received: spans without a parent are shown as roots)'));

    const path = criticalPath(tree);
    report.section('Critical path (start order; time this span itself held up the request):',
      path.filter((p) => p.blockingNs > 0).map((p) => `- ${label(p.span)} ${ms(p.blockingNs / 1e6)} of ${ms((p.span.end - p.span.start) / 1e6)}${at(p.span.source)}`),
      'critical-path spans');

    const bySelf = tree.spans.map((s) => ({ s, self: selfTime(s) })).sort((a, b) => b.self - a.self).slice(0, 10);
    report.section('Slowest spans by own time (not counting children):',
      bySelf.map(({ s, self }) => `- ${label(s)} self ${ms(self / 1e6)}, total ${ms((s.end - s.start) / 1e6)}, starts at +${ms(s.start / 1e6)}${at(s.source)}`),
      'slow spans');

    const failing = tree.spans.filter((s) => s.error || s.exceptions.length);
    report.section('Errors and exceptions:', failing.map((s) => {
      const parts = [`- ${label(s)}${s.error ? ' status ERROR' : ''}${s.statusMessage ? ` ${quote(s.statusMessage)}` : ''}${at(s.source)}`];
      for (const e of s.exceptions) parts.push(`  exception ${quote(e.type, 80)}: ${quote(e.message)}${at(e.source)}`);
      return parts.join('\n');
    }), 'failing spans');

    const sources = new Map<string, number>();
    for (const s of tree.spans) if (s.source) {
      const key = s.source.line ? `${s.source.path}:${s.source.line}` : s.source.path;
      sources.set(key, (sources.get(key) ?? 0) + 1);
    }
    report.section('Source locations named by the spans:', [...sources].sort((a, b) => b[1] - a[1]).map(([where, n]) => `- ${quote(where, 240)} (${n} span${n > 1 ? 's' : ''})`), 'source locations');
    return report.toString();
  },
});
