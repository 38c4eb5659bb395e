// Profile files found by walking the workspace folders ourselves, for when the editor's
// file search finds nothing (it needs ripgrep, which a bare VS Code server may lack).
// Bounded: skips dependency and VCS folders, stops after a few thousand folders.

import * as vscode from 'vscode';
import { globRegExp } from './profileFiles.ts';

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', '.cache', 'target', 'vendor']);
const MAX_FOLDERS = 5000;
const MAX_DEPTH = 8;

export async function walkForFiles(globs: string[], max: number): Promise<vscode.Uri[]> {
  const patterns = globs.map(globRegExp);
  const found: vscode.Uri[] = [];
  let folders = 0;
  const walk = async (dir: vscode.Uri, rel: string, depth: number): Promise<void> => {
    if (folders++ > MAX_FOLDERS || depth > MAX_DEPTH || found.length >= max) return;
    const entries = await vscode.workspace.fs.readDirectory(dir).then((e) => e, () => []);
    for (const [name, type] of entries) {
      const path = rel ? `${rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (!SKIP.has(name) && !(type & vscode.FileType.SymbolicLink)) await walk(vscode.Uri.joinPath(dir, name), path, depth + 1);
      } else if (patterns.some((p) => p.test(path))) found.push(vscode.Uri.joinPath(dir, name));
    }
  };
  for (const folder of vscode.workspace.workspaceFolders ?? []) await walk(folder.uri, '', 0);
  return found;
}
