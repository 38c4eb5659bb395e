// Large traces for the scale tests, made with the SDK: one root, `fanout` children, and
// the rest spread under them as grandchildren with varied timings, some failing.

import { SpanStatusCode } from '@opentelemetry/api';
import { span, type TraceRecorder } from './sdkTraces.ts';

/** A trace of exactly `total` spans starting at `t0` (epoch ms); returns its trace id. */
export function wideTrace(rec: TraceRecorder, t0: number, total: number, fanout: number): string {
  const services = ['gateway', 'orders', 'inventory', 'billing', 'search'].map((s) => rec.tracer(s));
  const perChild = Math.floor((total - 1 - fanout) / fanout);
  let extra = total - 1 - fanout - perChild * fanout;
  let n = 0;
  const root = span(services[0], 'POST /batch', undefined, t0, t0 + fanout * 10 + 50, {}, (root) => {
    for (let c = 0; c < fanout; c++) {
      const start = t0 + 5 + c * 10;
      span(services[1 + (c % 4)], `process item ${c}`, root, start, start + 40, { attributes: { 'item.index': c } }, (child) => {
        const kids = perChild + (extra > 0 ? 1 : 0);
        if (extra > 0) extra--;
        for (let g = 0; g < kids; g++) {
          const gs = start + 1 + (g % 30);
          n++;
          span(services[(c + g) % 5], g % 3 ? `SELECT stock ${g % 17}` : `cache get ${g % 11}`, child, gs, gs + 1 + (g % 7), { attributes: { 'db.rows': g, 'span.n': n } }, (s) => {
            if (n % 997 === 0) s.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
          });
        }
      });
    }
  });
  return root.spanContext().traceId;
}

/** `count` one-span traces, one a millisecond apart, ending at `end` (epoch ms). */
export function manyTraces(rec: TraceRecorder, end: number, count: number): void {
  const services = ['web', 'api', 'worker', 'cron'].map((s) => rec.tracer(s));
  for (let i = 0; i < count; i++) {
    const start = end - count + i;
    span(services[i % 4], `GET /item/${i % 50}`, undefined, start, start + 1 + (i % 200), { attributes: { 'req.n': i } });
  }
}
