// search_traces: the trace list's filters, answered as one line per trace.

import { BothTiers } from '../disk/bothTiers.ts';
import { defineTool, ToolInputError } from './agentTool.ts';
import { isoTime, ms, quote, Report } from './report.ts';

export const searchTracesTool = defineTool({
  name: 'search_traces',
  reference: 'loupeTraces',
  title: 'Search traces',
  description: 'Finds recent traces in Loupe (local OpenTelemetry data of the apps the user runs), newest first. ' +
    'Filters: service, operation (span name), status, duration, span attributes (key=value) and free text. ' +
    'Each line gives the trace id (use it with trace_summary or compare_traces), root service and operation, duration, span and error counts.',
  input: (z) => ({
    service: z.string().optional().describe('Service name (resource attribute service.name)'),
    operation: z.string().optional().describe('Span name, e.g. "GET /checkout"'),
    status: z.enum(['error', 'ok', 'unset']).optional().describe('Span status to match'),
    minDurationMs: z.number().min(0).optional().describe('Only traces at least this long'),
    maxDurationMs: z.number().min(0).optional().describe('Only traces at most this long'),
    attributes: z.array(z.string()).optional().describe('Span attribute conditions, each "key=value", e.g. "http.route=/checkout"'),
    text: z.string().optional().describe('Text in span names or attribute values'),
    sinceMinutes: z.number().min(0).optional().describe('Only traces from the last N minutes'),
    limit: z.number().int().min(1).max(200).optional().describe('At most this many traces (default 20)'),
  }),
  async run(engine, args, budget) {
    const attrs = (args.attributes ?? []).map((a) => {
      const eq = a.indexOf('=');
      if (eq <= 0) throw new ToolInputError(`attributes: expected "key=value", got ${quote(a, 60)}`);
      return { key: a.slice(0, eq), value: a.slice(eq + 1) };
    });
    const traces = (await BothTiers.read(engine)).search({
      service: args.service, operation: args.operation, status: args.status, minDurationMs: args.minDurationMs,
      maxDurationMs: args.maxDurationMs, attrs, q: args.text, limit: args.limit ?? 20,
      start: args.sinceMinutes === undefined ? undefined : (Date.now() - args.sinceMinutes * 60_000) * 1e6,
    });
    const report = new Report(budget);
    report.line(traces.length ? `${traces.length} trace(s), newest first:` : 'No trace matches. Try fewer filters, or check that the app sends traces to Loupe.');
    report.section('traceId | root service: operation | duration | spans | errors | started', traces.map((t) =>
      `${t.traceId} | ${quote(t.rootService, 60)}: ${quote(t.rootName, 100)} | ${ms(Number(t.durationNanos) / 1e6)} | ${t.spanCount} spans | ${t.errorCount} errors | ${isoTime(t.startTimeUnixNano)}` +
      (t.services.length > 1 ? ` | services ${t.services.map((s) => quote(s, 40)).join(', ')}` : '') + (t.fromDisk ? ' | from disk (evicted from memory)' : '')), 'traces');
    return report.toString();
  },
});
