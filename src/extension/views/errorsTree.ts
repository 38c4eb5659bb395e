// The Errors view: recent exceptions grouped by type and message, with count and last
// seen; a click opens the newest trace, the inline button its source.

import * as vscode from 'vscode';
import type { ExceptionGroup } from '../../protocol/insights.ts';
import { sourceOfException } from '../commands/exceptionSource.ts';
import type { LoupeContext } from '../context.ts';
import { Command, View } from '../ids.ts';
import { LiveTree } from './liveTree.ts';
import { occurrences, plural, timeAgo } from './format.ts';

type Node = { kind: 'exception'; group: ExceptionGroup } | { kind: 'problem'; message: string };

class ErrorsTree extends LiveTree<Node> {
  async getChildren(node?: Node): Promise<Node[]> {
    const api = this.ctx.api;
    if (node || !api) return [];
    try {
      const groups = await api.get<ExceptionGroup[]>('/api/exceptions?limit=100');
      return groups.map((group) => ({ kind: 'exception', group }));
    } catch (err) {
      return [{ kind: 'problem', message: (err as Error).message }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(node.message);
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    const g = node.group;
    const label = g.type && g.message ? `${g.type}: ${g.message}` : g.type || g.message || 'exception';
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `exception:${g.type}\u0000${g.message}`;
    item.description = `${occurrences(g)} · ${timeAgo(g.lastSeen, Date.now())}`;
    const source = sourceOfException(g);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${label}\n\nIn ${plural(g.traceCount, 'trace')} (recorded ${plural(g.count, 'time')}, once on each span that records it) in ${g.services.join(', ')}; newest in span "${g.latest.spanName}", ${timeAgo(g.lastSeen, Date.now())}.`);
    if (source) tooltip.appendText(`\n\nThrown at ${source.path}${source.line ? `:${source.line}` : ''}`);
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon('bug', new vscode.ThemeColor('errorForeground'));
    item.command = { command: Command.openTrace, title: 'Open Trace', arguments: [g.latest.traceId, g.latest.spanId] };
    item.contextValue = source ? 'exception.withSource' : 'exception';
    return item;
  }
}

export function registerErrorsTree(ctx: LoupeContext): vscode.Disposable {
  return LiveTree.register(ctx, View.errors, new ErrorsTree(ctx));
}

