// What the status bar item says for each collector state (pure, so it is tested).

import type { StatusResponse } from '../protocol/api.ts';
import type { CollectorState } from './engine/collector.ts';
import { formatBytes, formatCount } from './views/format.ts';
import { diskSummary } from './diskText.ts';

export interface StatusText {
  text: string;
  tooltip: string;
  /** Shown with the warning background. */
  warning: boolean;
  /** What a click does: open the traces when running, else start or show the log. */
  click: 'openTraces' | 'startCollector' | 'showCollectorLog';
  /** While running with errors: a second item, the error count, that opens the Golden Signals. */
  errors?: { text: string; tooltip: string; click: 'openSignals' };
}

const PROBLEM_LABEL = {
  'port-taken': 'port in use',
  'no-answer': 'no answer',
  crashed: 'stopped',
  'spawn-failed': 'cannot start',
} as const;

export function statusText(state: CollectorState, errorCount: number): StatusText {
  switch (state.kind) {
    case 'stopped':
      return { text: '$(circle-slash) Loupe', tooltip: "Loupe's OTLP collector is not running. Click to start it.", warning: false, click: 'startCollector' };
    case 'starting':
      return { text: '$(sync~spin) Loupe', tooltip: 'Loupe is starting its OTLP collector…', warning: false, click: 'showCollectorLog' };
    case 'failed':
      return { text: `$(error) Loupe: ${PROBLEM_LABEL[state.problem]}`, tooltip: `${state.message}\nClick to show the collector log.`, warning: true, click: 'showCollectorLog' };
    case 'running': {
      const port = /:(\d+)\/?$/.exec(state.httpUrl)?.[1] ?? '';
      const { counts, dropped } = state.status;
      const lines = [
        `Loupe is listening for OTLP: HTTP ${state.httpUrl}, gRPC ${state.grpcUrl}`,
        state.startedHere ? 'Engine started by this window.' : 'Engine shared with other windows or started outside VS Code.',
        `${formatCount(counts.spans)} spans in ${formatCount(counts.traces)} traces, ${formatCount(errorCount)} errors, ${formatCount(counts.logs)} logs, ${formatCount(counts.metricPoints)} metric points.`,
      ];
      if (state.restartedAfter) lines.push(`Restarted by this window after the previous engine stopped unexpectedly (${state.restartedAfter}).`);
      if (dropped.spans || dropped.logs || dropped.metricPoints) {
        lines.push(`Evicted to stay within the memory budget: ${formatCount(dropped.spans)} spans, ${formatCount(dropped.logs)} logs, ${formatCount(dropped.metricPoints)} metric points.`);
      }
      lines.push(memoryLine(state.status));
      if (state.status.disk) lines.push(diskSummary(state.status.disk).tooltip);
      lines.push('Click to open the traces.');
      const errors = errorCount ? {
        text: `$(error) ${formatCount(errorCount)}`,
        tooltip: `${formatCount(errorCount)} spans with errors. Click to open the Golden Signals: error counts and rates per route, over time.`,
        click: 'openSignals' as const,
      } : undefined;
      // A disk tier that stopped writing (full disk…) leaves the engine in memory only: the item says so in its colour.
      const diskStopped = !!state.status.disk?.error;
      return { text: `$(pulse) Loupe :${port} $(list-tree) ${formatCount(counts.spans)}`, tooltip: lines.join('\n'), warning: diskStopped, click: 'openTraces', errors };
    }
  }
}

/** The store against its budget, and the process as the operating system sees it. */
function memoryLine(status: StatusResponse): string {
  const store = `Memory: the store holds ${formatBytes(status.memoryBytes)} of its ${formatBytes(status.memoryBudgetBytes)} budget`;
  // An engine of an older version, shared with another window, may not report its process.
  const p = status.process as StatusResponse['process'] | undefined;
  return p ? `${store}; the engine process uses ${formatBytes(p.rssBytes)} (V8 heap ${formatBytes(p.heapUsedBytes)}).` : `${store}.`;
}
