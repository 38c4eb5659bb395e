// While an alert fires on a route whose handler's source is known (its spans'
// `code.*` attributes), a warning on that function in the Problems panel.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { findWorkspaceFile } from '../source/workspaceFile.ts';
import type { AlertWatcher } from './alertWatcher.ts';

export function registerAlertProblems(ctx: LoupeContext, watcher: AlertWatcher): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('loupe-alerts');
  let generation = 0;
  const update = async () => {
    const mine = ++generation;
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    if (ctx.settings.problems) {
      for (const a of watcher.firingAlerts) {
        if (!a.code) continue;
        const uri = await findWorkspaceFile(a.code.file, ctx.settings.pathMappings);
        if (!uri) continue;
        const line = Math.max(0, (a.code.line ?? 1) - 1);
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `Alert "${a.name}" firing: ${a.message}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'Loupe';
        d.code = 'alert';
        const entry = byFile.get(uri.toString()) ?? { uri, list: [] };
        entry.list.push(d);
        byFile.set(uri.toString(), entry);
      }
    }
    if (mine !== generation) return; // a newer update runs
    diagnostics.clear();
    for (const { uri, list } of byFile.values()) diagnostics.set(uri, list);
  };
  void update();
  return vscode.Disposable.from(diagnostics, watcher.onDidChange(() => void update()));
}
