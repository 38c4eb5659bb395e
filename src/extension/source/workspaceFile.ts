// Telemetry paths onto workspace files: `loupe.pathMappings` first, then the path as
// it is (absolute, or relative to a workspace folder), then a best-effort match on its
// tail among the workspace's files.

import * as vscode from 'vscode';
import { mapPath, matchByTail, type PathMapping } from '../../shared/source/pathMapping.ts';
import { isAbsolutePath, pathSegments } from '../../shared/source/paths.ts';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/build/**,**/target/**,**/bin/**,**/obj/**,**/.venv/**,**/venv/**}';

/** Found files by telemetry path, cleared when the workspace's files change. */
const found = new Map<string, vscode.Uri | null>();
let watching: vscode.Disposable | undefined;

export async function findWorkspaceFile(path: string, mappings: readonly PathMapping[]): Promise<vscode.Uri | undefined> {
  const key = JSON.stringify([path, mappings]);
  if (found.has(key)) return found.get(key) ?? undefined;
  const uri = await lookUp(path, mappings);
  watchForChanges();
  found.set(key, uri ?? null);
  return uri;
}

async function lookUp(path: string, mappings: readonly PathMapping[]): Promise<vscode.Uri | undefined> {
  const mapped = mapPath(path, mappings);
  if (isAbsolutePath(mapped)) {
    const uri = vscode.Uri.file(mapped);
    if (await exists(uri)) return uri;
  } else {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, ...pathSegments(mapped));
      if (await exists(uri)) return uri;
    }
  }
  const name = pathSegments(mapped).pop();
  if (!name || /[*?{}[\]]/.test(name)) return undefined;
  const candidates = await vscode.workspace.findFiles(`**/${name}`, EXCLUDE, 500);
  const best = matchByTail(mapped, candidates.map((c) => c.fsPath));
  return best === undefined ? undefined : vscode.Uri.file(best);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type !== vscode.FileType.Directory;
  } catch {
    return false;
  }
}

function watchForChanges(): void {
  if (watching) return;
  const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
  const forget = () => found.clear();
  watching = vscode.Disposable.from(watcher, watcher.onDidCreate(forget), watcher.onDidDelete(forget), vscode.workspace.onDidChangeWorkspaceFolders(forget));
}

export function stopWatchingWorkspaceFiles(): void {
  watching?.dispose();
  watching = undefined;
  found.clear();
}
