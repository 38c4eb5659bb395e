// The Alerts view: firing alerts first, then pending ones and those that resolved in the
// last hour; a click opens the Golden Signals on the alert's route.

import * as vscode from 'vscode';
import type { AlertStatus } from '../../protocol/alerts.ts';
import type { LoupeContext } from '../context.ts';
import { Command, View } from '../ids.ts';
import { timeAgo } from '../views/format.ts';
import { alertKey, type AlertWatcher } from './alertWatcher.ts';

class AlertsTree implements vscode.TreeDataProvider<AlertStatus> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly watcher: AlertWatcher) {
    watcher.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: AlertStatus): AlertStatus[] {
    if (node) return [];
    // Rules that are quiet are not news; the engine lists them for the API.
    return this.watcher.alerts.filter((a) => a.state !== 'inactive' || a.resolvedAt !== undefined);
  }

  getTreeItem(a: AlertStatus): vscode.TreeItem {
    const where = a.route === null ? a.service : `${a.route} · ${a.service}`;
    const item = new vscode.TreeItem(a.name, vscode.TreeItemCollapsibleState.None);
    item.id = `alert:${alertKey(a)}`;
    const muted = this.watcher.isMuted(a) ? ' · muted' : '';
    const when = a.state === 'inactive' && a.resolvedAt ? `resolved ${timeAgo(a.resolvedAt, Date.now())}` : `${a.state} ${timeAgo(a.since, Date.now())}`;
    item.description = `${where} · ${when}${muted}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${a.message}\n\n${a.state === 'firing' ? 'Firing' : a.state === 'pending' ? 'Pending (the condition must hold before it fires)' : 'Resolved'}; from ${a.source === 'spans' ? 'spans' : 'request metrics'}.`);
    if (a.code) tooltip.appendText(`\n\nHandler: ${a.code.function} in ${a.code.file}${a.code.line ? `:${a.code.line}` : ''}`);
    item.tooltip = tooltip;
    item.iconPath = a.state === 'firing'
      ? new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('list.warningForeground'))
      : a.state === 'pending' ? new vscode.ThemeIcon('watch') : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    item.command = { command: Command.openSignals, title: 'Open Golden Signals', arguments: [{ service: a.service, ...(a.route !== null ? { route: a.route } : {}) }] };
    item.contextValue = a.state === 'firing' ? 'alert.firing' : 'alert';
    return item;
  }
}

export function registerAlertsTree(ctx: LoupeContext, watcher: AlertWatcher): vscode.Disposable {
  return vscode.window.createTreeView(View.alerts, { treeDataProvider: new AlertsTree(watcher) });
}

export function registerAlertStatusItem(watcher: AlertWatcher): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('loupe.alerts', vscode.StatusBarAlignment.Left, 8);
  item.name = 'Loupe alerts';
  const render = () => {
    const firing = watcher.firingAlerts;
    if (!firing.length) return item.hide();
    item.text = `$(bell-dot) ${firing.length === 1 ? firing[0].name : `${firing.length} alerts`}`;
    item.tooltip = firing.map((a) => `${a.name}: ${a.message}`).join('\n');
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    item.command = `${View.alerts}.focus`;
    item.accessibilityInformation = { label: `${firing.length} Loupe alert${firing.length === 1 ? '' : 's'} firing` };
    item.show();
  };
  render();
  return vscode.Disposable.from(item, watcher.onDidChange(render));
}
