// Logs shaped like a real app's, for the logs view's tests and screenshots: checkout
// traces that log along the way (tied to their spans), a worker that logs the same few
// messages with different numbers at several levels, a structured record with a source
// location, and an exception with its stack trace.

import type { LogLine } from './sdkTraces.ts';
import { sendLogs, TraceRecorder } from './sdkTraces.ts';
import { checkout, SOURCE_FILE, type Checkout } from './scenarios.ts';

export interface LogScenario {
  checkouts: Checkout[];
  /** Records sent per service. */
  counts: Record<string, number>;
  workerLines: LogLine[];
}

export const WORKER_SOURCE = '/home/dev/shop/src/worker/jobs.ts';

export async function sendLogScenario(engineUrl: string, t0: number): Promise<LogScenario> {
  const rec = new TraceRecorder();
  const checkouts = Array.from({ length: 4 }, (_, i) => checkout(rec, t0 + i * 5_000, { fail: i === 2, user: `u-${1040 + i}` }));
  await rec.send(engineUrl);
  const frontend = checkouts.flatMap((c) => c.logs);
  await sendLogs(engineUrl, 'frontend', frontend);

  const worker: LogLine[] = [];
  for (let i = 0; i < 24; i++) {
    const at = t0 + 1_000 + i * 800;
    worker.push({ body: `job ${7000 + i} done in ${20 + (i * 7) % 90}ms`, severityNumber: 9, severityText: 'INFO', timeMs: at, attributes: { 'job.queue': i % 2 ? 'mail' : 'billing' } });
    if (i % 4 === 1) worker.push({ body: `retrying job ${7000 + i} after timeout from 10.0.3.${i}:5432`, severityNumber: 13, severityText: 'WARN', timeMs: at + 100, attributes: { 'job.queue': 'billing', 'retry.count': i % 3 + 1 } });
    if (i % 8 === 0) worker.push({ body: `cache warmed with ${100 + i} entries`, severityNumber: 5, severityText: 'DEBUG', timeMs: at + 200 });
  }
  worker.push({
    body: { message: 'invoice batch settled', batch: { id: 'b-311', invoices: 42, total: 1234.5 }, tags: ['eu', 'monthly'] },
    severityNumber: 9, severityText: 'INFO', timeMs: t0 + 21_000,
    attributes: { 'code.file.path': WORKER_SOURCE, 'code.line.number': 88, 'code.function.name': 'settleBatch' },
  });
  worker.push({
    body: 'payment sync failed: upstream returned 503', severityNumber: 17, severityText: 'ERROR', timeMs: t0 + 21_500,
    attributes: {
      'exception.type': 'UpstreamError',
      'exception.stacktrace': `UpstreamError: upstream returned 503\n    at syncPayments (${SOURCE_FILE}:61:11)\n    at async runJob (${WORKER_SOURCE}:120:5)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
    },
  });
  await sendLogs(engineUrl, 'worker', worker);
  return { checkouts, counts: { frontend: frontend.length, worker: worker.length }, workerLines: worker };
}
