// logs: the log records of a trace, or those matching a text, newest first.

import { spanSource } from '../../shared/source/location.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import { parseLogFilter } from '../query/logSearch.ts';
import { defineTool } from './agentTool.ts';
import { at, isoTime, quote, Report } from './report.ts';

export const logsTool = defineTool({
  name: 'logs',
  reference: 'loupeLogs',
  title: 'Logs',
  description: 'Log records Loupe received, newest first: those of one trace (traceId), those containing a text, ' +
    'of a service, or at least a severity. Each line gives time, severity, service, the body, trace and span ids and the source location when the record names one.',
  input: (z) => ({
    traceId: z.string().optional().describe('Only records of this trace (32 hex digits)'),
    text: z.string().optional().describe('Text the body or an attribute contains'),
    service: z.string().optional().describe('Only this service'),
    minSeverity: z.string().optional().describe('trace, debug, info, warn, error or fatal (or 1–24)'),
    limit: z.number().int().min(1).max(500).optional().describe('At most this many records (default 50)'),
  }),
  async run(engine, args, budget) {
    const q = new URLSearchParams({ limit: String(args.limit ?? 50) });
    if (args.traceId) q.set('traceId', args.traceId.trim());
    if (args.text) q.set('q', args.text);
    if (args.service) q.set('service', args.service);
    if (args.minSeverity) q.set('minSeverity', args.minSeverity);
    const f = parseLogFilter(q);
    const { logs } = (await BothTiers.read(engine)).logs(f);
    const report = new Report(budget);
    report.line(logs.length ? `${logs.length} record(s), newest first (time | severity | service | body | ids | source):` : 'No log record matches.');
    report.section('Records:', logs.map((l) => {
      const body = typeof l.body === 'string' ? l.body : JSON.stringify(l.body ?? '');
      const ids = l.traceId ? ` | trace ${l.traceId}${l.spanId ? ` span ${l.spanId}` : ''}` : '';
      return `- ${isoTime(l.timeUnixNano)} | ${l.severityText || l.severityNumber} | ${quote(l.service, 60)} | ${quote(body, 300)}${ids}${at(spanSource(l.attributes))}`;
    }), 'log records');
    return report.toString();
  },
});
