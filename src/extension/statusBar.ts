// The status bar items: whether the collector listens, its port and span count; beside
// it the error count, which opens the Golden Signals.

import * as vscode from 'vscode';
import type { ServiceSummary } from '../protocol/api.ts';
import type { LoupeContext } from './context.ts';
import { Command } from './ids.ts';
import { statusText } from './statusText.ts';

export function createStatusBar(ctx: LoupeContext): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('loupe.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Loupe';
  const errorsItem = vscode.window.createStatusBarItem('loupe.errors', vscode.StatusBarAlignment.Left, 9);
  errorsItem.name = 'Loupe errors';
  let errorCount = 0;
  const render = () => {
    const s = statusText(ctx.state, errorCount);
    item.text = s.text;
    item.tooltip = s.tooltip;
    item.command = Command[s.click];
    item.accessibilityInformation = { label: s.text.replace(/\$\([^)]*\)\s*/g, '') };
    item.backgroundColor = s.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (s.errors) {
      errorsItem.text = s.errors.text;
      errorsItem.tooltip = s.errors.tooltip;
      errorsItem.command = Command[s.errors.click];
      errorsItem.accessibilityInformation = { label: `${errorCount} errors, open Golden Signals` };
      errorsItem.show();
    } else {
      errorsItem.hide();
    }
  };
  const refresh = async () => {
    const api = ctx.api;
    errorCount = 0;
    if (api) {
      try {
        errorCount = (await api.get<ServiceSummary[]>('/api/services')).reduce((n, s) => n + s.errorCount, 0);
      } catch {
        // the collector's own state change will say what is wrong
      }
    }
    render();
  };
  render();
  item.show();
  const sub = ctx.onDidChangeData(() => void refresh());
  return vscode.Disposable.from(item, errorsItem, sub);
}
