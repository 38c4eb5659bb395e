// recent_errors: exceptions grouped by type and message, then the newest failing traces.

import { spanSource } from '../../shared/source/location.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import { defineTool } from './agentTool.ts';
import { at, isoTime, ms, quote, Report } from './report.ts';

export const recentErrorsTool = defineTool({
  name: 'recent_errors',
  reference: 'loupeErrors',
  title: 'Recent errors and exceptions',
  description: 'Lists exceptions recorded in Loupe grouped by type and message (count, traces affected, services, last seen, ' +
    'the newest occurrence\'s trace id and source location file:line), then the newest traces with error status.',
  input: (z) => ({
    service: z.string().optional().describe('Only this service'),
    limit: z.number().int().min(1).max(100).optional().describe('At most this many groups and traces each (default 15)'),
  }),
  async run(engine, args, budget) {
    const max = args.limit ?? 15;
    const tiers = await BothTiers.read(engine);
    const groups = engine.aggregates.exceptionGroups(args.service, max);
    const report = new Report(budget);
    report.line(groups.length ? `${groups.length} exception group(s), most recent first.` : 'No exceptions recorded' + (args.service ? ` for ${quote(args.service, 60)}` : '') + '.');
    report.section('Exceptions (type: message | occurrences | traces | services | last seen | newest occurrence):', groups.map((g) => {
      const source = spanSource(g.latest.attributes) ?? spanSource(g.latest.spanAttributes);
      return `- ${quote(g.type, 80)}: ${quote(g.message)} | ${g.count}× | ${g.traceCount} trace(s) | ${g.services.map((s) => quote(s, 40)).join(', ')} | ${isoTime(g.lastSeen)} | ` +
        `trace ${g.latest.traceId} span ${g.latest.spanId} ${quote(g.latest.spanName, 80)}${at(source)}`;
    }), 'exception groups');
    const failing = tiers.search({ service: args.service, status: 'error', attrs: [], limit: max });
    report.section('Newest traces with an error span (traceId | root | duration | errors | started):', failing.map((t) =>
      `- ${t.traceId} | ${quote(t.rootService, 60)}: ${quote(t.rootName, 100)} | ${ms(Number(t.durationNanos) / 1e6)} | ${t.errorCount} error span(s) | ${isoTime(t.startTimeUnixNano)}`), 'error traces');
    return report.toString();
  },
});
