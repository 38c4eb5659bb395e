// golden_signals: requests, errors and latency of a service's routes over a recent
// window, against a baseline (the window before it, or one the caller names).

import type { SignalFigures } from '../../protocol/api.ts';
import { querySignalRoutes, querySignals } from '../signals/signalQuery.ts';
import { defineTool, ToolInputError } from './agentTool.ts';
import { isoTime, quote, Report } from './report.ts';

export const goldenSignalsTool = defineTool({
  name: 'golden_signals',
  reference: 'loupeSignals',
  title: 'Golden signals',
  description: 'Golden signals from the spans Loupe received: requests per second, error rate and latency (p50/p95/p99) for a service ' +
    'as a whole and per route, over the last N minutes, each with the change against a baseline window ' +
    '(by default the N minutes before; or baselineStart/baselineEnd). Answers "did my change make it slower?".',
  input: (z) => ({
    service: z.string().optional().describe('Service name; all services when left out'),
    route: z.string().optional().describe('Only this route (http.route, or the span name for spans without one)'),
    windowMinutes: z.number().min(0.1).max(7 * 24 * 60).optional().describe('The window to report, ending now (default 15)'),
    baseline: z.enum(['previous', 'none']).optional().describe('"previous" (default): the window just before; "none": no baseline'),
    baselineStart: z.string().optional().describe('Baseline window start, ISO 8601 time (with baselineEnd)'),
    baselineEnd: z.string().optional().describe('Baseline window end, ISO 8601 time (with baselineStart)'),
  }),
  run(engine, args, budget) {
    const windowNs = (args.windowMinutes ?? 15) * 60e9;
    const endNs = Math.max(Date.now() * 1e6, engine.signals.newestNs + 1);
    const q = new URLSearchParams({ start: nsText(endNs - windowNs), end: nsText(endNs) });
    if (args.baselineStart !== undefined || args.baselineEnd !== undefined) {
      q.set('baselineStart', isoToNs(args.baselineStart, 'baselineStart'));
      q.set('baselineEnd', isoToNs(args.baselineEnd, 'baselineEnd'));
    } else if (args.baseline !== 'none') {
      q.set('baselineStart', nsText(endNs - 2 * windowNs));
      q.set('baselineEnd', nsText(endNs - windowNs));
    }
    if (args.service) q.set('service', args.service);
    const report = new Report(budget);
    const baselineText = q.has('baselineStart') ? `; baseline ${isoTime(q.get('baselineStart')!)} to ${isoTime(q.get('baselineEnd')!)}` : '';
    report.line(`Window ${isoTime(q.get('start')!)} to ${isoTime(q.get('end')!)}${baselineText}. Figures: requests/s, error rate, p50/p95/p99; (baseline → now).`);
    if (!args.route) {
      const wholes = querySignals(engine.signals, new URLSearchParams([...q, ['only', 'service']])).series;
      report.section('Services as a whole:', wholes.filter((s) => s.totals.requests || s.baseline?.totals.requests).map((s) =>
        `- ${quote(s.service, 60)}: ${line(s.totals, s.baseline?.totals)}`), 'services');
    }
    const routes = querySignalRoutes(engine.signals, q).filter((r) => !args.route || r.route === args.route);
    if (!routes.length) report.line(`\nNo requests${args.route ? ` on route ${quote(args.route, 100)}` : ''}${args.service ? ` of ${quote(args.service, 60)}` : ''} in this window or its baseline.`);
    report.section('Routes (busiest first):', routes.map((r) => `- ${quote(r.service, 60)} ${quote(r.route, 100)}: ${line(r, r.baseline)}`), 'routes');
    return report.toString();
  },
});

function line(now: SignalFigures, before: SignalFigures | undefined): string {
  const pair = (f: (x: SignalFigures) => string) => (before ? `${f(before)} → ${f(now)}` : f(now));
  const lat = (x: SignalFigures) => `${fmt(x.p50Ms)}/${fmt(x.p95Ms)}/${fmt(x.p99Ms)}ms`;
  const change = before && now.p95Ms !== null && before.p95Ms !== null && before.p95Ms > 0
    ? ` (p95 ${now.p95Ms >= before.p95Ms ? '+' : '−'}${Math.abs(Math.round((now.p95Ms / before.p95Ms - 1) * 100))}%)` : '';
  return `${pair((x) => `${x.requestsPerSecond.toFixed(2)} req/s`)}, ${pair((x) => `${(x.errorRate * 100).toFixed(1)}% errors (${x.errors}/${x.requests})`)}, ${pair(lat)}${change}`;
}

function fmt(v: number | null): string {
  return v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function nsText(ns: number): string {
  return BigInt(Math.round(ns)).toString();
}

function isoToNs(value: string | undefined, name: string): string {
  const t = value === undefined ? NaN : Date.parse(value);
  if (!Number.isFinite(t)) throw new ToolInputError(`${name}: expected an ISO 8601 time such as 2026-01-02T10:00:00Z${value === undefined ? ' (baselineStart and baselineEnd go together)' : `, got ${quote(value, 40)}`}`);
  return (BigInt(t) * 1_000_000n).toString();
}
