// Loupe: Compare Traces… — trace A (given, or picked from the newest traces) against
// the previous run of its operation, the median of its last runs, or a trace picked
// from the same operation's runs.

import * as vscode from 'vscode';
import type { TracesResponse, TraceSummary } from '../../protocol/api.ts';
import type { LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';

const TRACE_ID = /^[0-9a-f]{32}$/i;

export const compareTraces = (ctx: LoupeContext) => async (a?: unknown, b?: unknown) => {
  const api = ctx.requireApi();
  if (typeof a === 'string' && TRACE_ID.test(a)) {
    const filters: Record<string, string> = typeof b === 'string' && TRACE_ID.test(b) ? { a: a.toLowerCase(), b: b.toLowerCase() } : { a: a.toLowerCase(), against: 'previous' };
    ViewPanel.show(ctx, 'compare', { filters });
    return;
  }
  const { traces } = await api.get<TracesResponse>('/api/traces?limit=100');
  if (!traces.length) {
    void vscode.window.showInformationMessage('Loupe holds no trace yet: run your app (its OpenTelemetry SDK sends to Loupe), then compare two of its traces.');
    return;
  }
  const first = await vscode.window.showQuickPick(traces.map(item), { title: 'Compare traces (1/2): trace A', placeHolder: 'The trace in question, e.g. a slow one', matchOnDescription: true, matchOnDetail: true });
  if (!first) return;
  const chosen = first.trace;
  const runs = (await api.get<TracesResponse>(`/api/traces?${new URLSearchParams({ service: chosen.rootService, operation: chosen.rootName, limit: '50' })}`)).traces
    .filter((t) => t.traceId !== chosen.traceId && t.rootService === chosen.rootService && t.rootName === chosen.rootName);
  type Choice = vscode.QuickPickItem & { filters: Record<string, string> };
  const choices: Choice[] = [
    { label: '$(history) Previous run of the same operation', filters: { a: chosen.traceId, against: 'previous' } },
    { label: '$(graph) Median of the last 10 runs', filters: { a: chosen.traceId, against: 'median', n: '10' } },
    { label: '', kind: vscode.QuickPickItemKind.Separator, filters: {} },
    ...runs.map((t) => ({ ...item(t), filters: { a: chosen.traceId, b: t.traceId } })),
  ];
  const second = await vscode.window.showQuickPick(choices, { title: 'Compare traces (2/2): trace B', placeHolder: 'What to compare A with' });
  if (second) ViewPanel.show(ctx, 'compare', { filters: second.filters });
};

function item(t: TraceSummary): vscode.QuickPickItem & { trace: TraceSummary } {
  const ms = Number(t.durationNanos) / 1e6;
  return {
    label: `${t.rootService}: ${t.rootName}`.slice(0, 200),
    description: `${ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`}${t.errorCount ? ` · ${t.errorCount} errors` : ''}`,
    detail: `${new Date(Number(BigInt(t.startTimeUnixNano) / 1_000_000n)).toLocaleString()} · ${t.traceId}`,
    trace: t,
  };
}
