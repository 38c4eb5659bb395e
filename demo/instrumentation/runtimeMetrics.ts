// Saturation metrics over OTLP, with the semantic-convention names Loupe's signals view
// looks for: CPU and memory of the process, event-loop delay and GC pauses. (The same
// process also serves prom-client's default metrics at /metrics, for scraping.)

import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';

export function recordRuntimeMetrics(meter: Meter): () => void {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  meter.createObservableGauge('process.cpu.utilization', { unit: '1', description: 'CPU time used per wall-clock time, across all cores.' })
    .addCallback((result) => {
      const cpu = process.cpuUsage(lastCpu);
      const now = performance.now();
      const elapsedUs = (now - lastAt) * 1000;
      lastCpu = process.cpuUsage();
      lastAt = now;
      if (elapsedUs > 0) result.observe((cpu.user + cpu.system) / elapsedUs);
    });
  meter.createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident set size of the process.' })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  meter.createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: 'Event-loop delay, 99th percentile since the last export.' })
    .addCallback((result) => {
      result.observe(delay.percentile(99) / 1e9);
      delay.reset();
    });

  const gc = meter.createHistogram('v8js.gc.duration', { unit: 's', description: 'Garbage-collection pauses.', advice: { explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] } });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.record(entry.duration / 1000, { 'v8js.gc.type': gcType((entry as { detail?: { kind?: number } }).detail?.kind) });
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    delay.disable();
    observer.disconnect();
  };
}

function gcType(kind: number | undefined): string {
  switch (kind) {
    case 1: return 'minor';
    case 2: return 'major';
    case 4: return 'incremental';
    case 8: return 'weakcb';
    default: return 'other';
  }
}
