// The Services view: service → operations (count, errors, p95) → recent traces.

import * as vscode from 'vscode';
import type { ServiceSummary, TracesResponse, TraceSummary } from '../../protocol/api.ts';
import type { OperationStats } from '../../protocol/insights.ts';
import type { LoupeContext } from '../context.ts';
import { Command, View } from '../ids.ts';
import { LiveTree } from './liveTree.ts';
import { formatCount, formatMs, formatPercent, timeAgo } from './format.ts';

const RECENT_TRACES = 10;

type Node =
  | { kind: 'service'; service: ServiceSummary }
  | { kind: 'operation'; op: OperationStats }
  | { kind: 'trace'; trace: TraceSummary; parent: string }
  | { kind: 'problem'; message: string };

class ServicesTree extends LiveTree<Node> {
  async getChildren(node?: Node): Promise<Node[]> {
    const api = this.ctx.api;
    if (!api) return [];
    try {
      if (!node) {
        const services = await api.get<ServiceSummary[]>('/api/services');
        return services.filter((s) => s.spanCount > 0).map((service) => ({ kind: 'service', service }));
      }
      if (node.kind === 'service') {
        const ops = await api.get<OperationStats[]>(`/api/operations?service=${encodeURIComponent(node.service.name)}`);
        return ops.map((op) => ({ kind: 'operation', op }));
      }
      if (node.kind === 'operation') {
        const q = new URLSearchParams({ service: node.op.service, operation: node.op.name, limit: String(RECENT_TRACES) });
        const { traces } = await api.get<TracesResponse>(`/api/traces?${q}`);
        return traces.map((trace) => ({ kind: 'trace', trace, parent: `${node.op.service}\u0000${node.op.name}` }));
      }
    } catch (err) {
      return [{ kind: 'problem', message: (err as Error).message }];
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const now = Date.now();
    switch (node.kind) {
      case 'service': {
        const s = node.service;
        const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `service:${s.name}`;
        item.description = `${formatCount(s.spanCount)} spans${s.errorCount ? ` · ${formatCount(s.errorCount)} errors` : ''}`;
        item.tooltip = `${s.name}: ${formatCount(s.spanCount)} spans, ${formatCount(s.errorCount)} with error status, last seen ${timeAgo(s.lastSeen, now)}`;
        item.iconPath = new vscode.ThemeIcon('server-process', s.errorCount ? new vscode.ThemeColor('errorForeground') : undefined);
        item.contextValue = 'service';
        return item;
      }
      case 'operation': {
        const o = node.op;
        const item = new vscode.TreeItem(o.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `operation:${o.service}\u0000${o.name}`;
        const errors = o.errorCount ? ` · ${formatCount(o.errorCount)} err (${formatPercent(o.errorCount / o.count)})` : '';
        item.description = `${formatCount(o.count)}×${errors} · p95 ${formatMs(o.p95Ms)}`;
        const counted = o.source === 'signals' ? '\nEvery request since the engine started (errors include HTTP 5xx), as Golden Signals counts them.' : '';
        item.tooltip = `${o.name} in ${o.service}\n${formatCount(o.count)} calls, ${formatCount(o.errorCount)} errors\np50 ${formatMs(o.p50Ms)}, p95 ${formatMs(o.p95Ms)}\nlast ${timeAgo(o.lastSeen, now)}${counted}`;
        item.iconPath = new vscode.ThemeIcon('symbol-method', o.errorCount ? new vscode.ThemeColor('errorForeground') : undefined);
        item.contextValue = 'operation';
        return item;
      }
      case 'trace': {
        const t = node.trace;
        const item = new vscode.TreeItem(t.rootName || t.traceId, vscode.TreeItemCollapsibleState.None);
        item.id = `trace:${node.parent}\u0000${t.traceId}`;
        item.description = `${formatMs(Number(t.durationNanos) / 1e6)} · ${t.spanCount} spans · ${timeAgo(t.startTimeUnixNano, now)}`;
        item.tooltip = `Trace ${t.traceId}\n${t.services.join(', ')}${t.errorCount ? `\n${t.errorCount} spans with errors` : ''}\nClick to open it.`;
        item.iconPath = new vscode.ThemeIcon(t.errorCount ? 'error' : 'pass', t.errorCount ? new vscode.ThemeColor('errorForeground') : undefined);
        item.command = { command: Command.openTrace, title: 'Open Trace', arguments: [t.traceId] };
        item.contextValue = 'trace';
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
    }
  }
}

/** Operations open their traces from an inline button: the filters for that. */
export function operationFilters(node: unknown): Record<string, string> | undefined {
  const n = node as Node | undefined;
  if (n?.kind === 'operation') return { service: n.op.service, operation: n.op.name };
  if (n?.kind === 'service') return { service: n.service.name };
  return undefined;
}

export function registerServicesTree(ctx: LoupeContext): vscode.Disposable {
  return LiveTree.register(ctx, View.services, new ServicesTree(ctx), { showCollapseAll: true });
}
