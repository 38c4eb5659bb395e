// Opens the file a span, log record or stack frame points to, at its line and column;
// when no workspace file matches, says so and offers to add a path mapping.

import * as vscode from 'vscode';
import { pathSegments } from '../../shared/source/paths.ts';
import type { SourceLocation } from '../../protocol/webview.ts';
import type { LoupeContext } from '../context.ts';
import { Setting } from '../ids.ts';
import { openSettings, updateSetting } from '../settings.ts';
import { findWorkspaceFile } from './workspaceFile.ts';

export async function openSource(ctx: LoupeContext, loc: SourceLocation, column = vscode.ViewColumn.Active): Promise<boolean> {
  const uri = await findWorkspaceFile(loc.path, ctx.settings.pathMappings);
  if (!uri) {
    void offerMapping(loc.path);
    return false;
  }
  const position = new vscode.Position(Math.max(0, (loc.line ?? 1) - 1), Math.max(0, (loc.column ?? 1) - 1));
  await vscode.window.showTextDocument(uri, { viewColumn: column, selection: new vscode.Range(position, position), preview: true });
  return true;
}

async function offerMapping(path: string): Promise<void> {
  const pick = await vscode.window.showWarningMessage(
    `Loupe cannot find ${path} in this workspace. If the app ran in a container or on another machine, map its folder onto yours.`,
    'Add Path Mapping…',
    'Open Settings',
  );
  if (pick === 'Open Settings') await openSettings(Setting.pathMappings);
  if (pick === 'Add Path Mapping…') await addMapping(path);
}

async function addMapping(path: string): Promise<void> {
  const segments = pathSegments(path);
  const guess = path.startsWith('/') ? '/' + segments.slice(0, Math.max(1, segments.length - 1)).join('/') : segments.slice(0, -1).join('/');
  const from = await vscode.window.showInputBox({
    title: 'Loupe: path mapping (1/2)',
    prompt: 'The folder as the telemetry names it (a prefix of the path)',
    value: guess,
    validateInput: (v) => (path.startsWith(v.trim()) && v.trim() ? undefined : `Use a prefix of ${path}`),
  });
  if (!from) return;
  const folders = await vscode.window.showOpenDialog({
    title: `Loupe: the workspace folder that ${from.trim()} corresponds to (2/2)`,
    canSelectFiles: false,
    canSelectFolders: true,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Map Here',
  });
  if (!folders?.[0]) return;
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = vscode.workspace.getConfiguration('loupe').get<unknown[]>(Setting.pathMappings, []);
  await updateSetting(Setting.pathMappings, [...current, { from: from.trim(), to: folders[0].fsPath }], target);
  void vscode.window.showInformationMessage(`Loupe maps ${from.trim()} to ${folders[0].fsPath}. Click the source link again.`);
}
