// Local alerts in the editor: the settings sent to the engine, the watcher that notifies,
// the Alerts view, the status bar item and the Problems entries.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { registerAlertProblems } from './alertProblems.ts';
import { registerAlertSettings } from './alertSettings.ts';
import { registerAlertStatusItem, registerAlertsTree } from './alertsTree.ts';
import { AlertWatcher } from './alertWatcher.ts';

export function registerAlerts(ctx: LoupeContext): vscode.Disposable {
  const watcher = new AlertWatcher(ctx);
  return vscode.Disposable.from(
    watcher,
    registerAlertSettings(ctx),
    registerAlertsTree(ctx, watcher),
    registerAlertStatusItem(watcher),
    registerAlertProblems(ctx, watcher),
  );
}
