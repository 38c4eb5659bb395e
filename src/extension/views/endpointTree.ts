// The Endpoint view: where apps send telemetry, what the collector holds and what it
// had to evict; the title bar copies the environment variables.

import { diskSummary } from '../diskText.ts';
import * as vscode from 'vscode';
import type { StatusResponse } from '../../protocol/api.ts';
import type { LoupeContext } from '../context.ts';
import { Command, View } from '../ids.ts';
import { LiveTree } from './liveTree.ts';
import { formatBytes, formatCount } from './format.ts';
import { forwardRow } from '../forward/forwardRow.ts';

interface Row {
  label: string;
  description: string;
  icon: string;
  tooltip?: string;
  command?: vscode.Command;
}

class EndpointTree extends LiveTree<Row> {
  async getChildren(row?: Row): Promise<Row[]> {
    const state = this.ctx.state;
    const api = this.ctx.api;
    if (row || state.kind !== 'running' || !api) return [];
    let status: StatusResponse = state.status;
    try {
      status = await api.get<StatusResponse>('/api/status');
    } catch {
      // show what the last event said
    }
    const { counts, dropped } = status;
    const rows: Row[] = [
      { label: 'OTLP/HTTP', description: state.httpUrl, icon: 'globe', tooltip: `Send OTLP/HTTP (protobuf or JSON) to ${state.httpUrl}/v1/traces, /v1/logs, /v1/metrics` },
      { label: 'OTLP/gRPC', description: state.grpcUrl, icon: 'plug' },
      {
        label: 'Engine',
        description: `${state.startedHere ? 'started by this window' : 'shared'} · v${status.version}`,
        icon: 'server',
        tooltip: `Loupe engine ${status.version}, running since ${status.startedAt}`,
      },
      { label: 'Spans', description: `${formatCount(counts.spans)} in ${formatCount(counts.traces)} traces`, icon: 'list-tree' },
      { label: 'Logs', description: formatCount(counts.logs), icon: 'output' },
      { label: 'Metric points', description: formatCount(counts.metricPoints), icon: 'graph-line' },
      { label: 'Memory', description: `${formatBytes(status.memoryBytes)} of ${formatBytes(status.memoryBudgetBytes)}`, icon: 'database', tooltip: 'The oldest data is evicted once the budget (loupe.memoryBudgetMB) is reached.' },
      {
        label: 'Evicted',
        description: `${formatCount(dropped.spans)} spans · ${formatCount(dropped.logs)} logs · ${formatCount(dropped.metricPoints)} points`,
        icon: dropped.spans || dropped.logs || dropped.metricPoints ? 'warning' : 'check',
      },
      (({ description, tooltip, warning }) => ({ label: 'Disk', description, tooltip, icon: warning ? 'warning' : 'save' }))(diskSummary(status.disk)),
      { label: 'Rejected', description: formatCount(dropped.rejected), icon: dropped.rejected ? 'warning' : 'check', tooltip: 'Items refused as invalid (see the apps\' export errors).' },
      { ...forwardRow(status.forward), command: { command: 'workbench.action.openSettings', title: 'Forwarding settings', arguments: ['loupe.forward'] } },
      {
        label: 'Copy environment variables',
        description: 'OTEL_EXPORTER_OTLP_ENDPOINT…',
        icon: 'copy',
        command: { command: Command.copyEnvironment, title: 'Copy OTLP Environment Variables' },
      },
    ];
    return rows;
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `endpoint:${row.label}`;
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    item.tooltip = row.tooltip ?? `${row.label}: ${row.description}`;
    if (row.command) item.command = row.command;
    return item;
  }
}

export function registerEndpointTree(ctx: LoupeContext): vscode.Disposable {
  return LiveTree.register(ctx, View.endpoint, new EndpointTree(ctx));
}
