// The Profiles view of the side panel: profiles the engine holds (received over OTLP,
// captured, imported) and profile files in the workspace matching
// `loupe.profileWatchGlobs`, listed as they appear, a folder of timed files as a
// timeline. Several can be selected and merged.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ProfileSummary } from '../../protocol/profile.ts';
import type { LoupeContext } from '../context.ts';
import { Command, View } from '../ids.ts';
import { groupProfileFiles, type ProfileFile, type ProfileFolder } from '../profiles/profileFiles.ts';
import { PROFILE_EDITOR } from '../profiles/profileEditor.ts';
import { walkForFiles } from '../profiles/workspaceWalk.ts';
import { readSettings } from '../settings.ts';
import { formatCount, timeAgo } from './format.ts';
import { LiveTree } from './liveTree.ts';

export type ProfileNode =
  | { kind: 'received' }
  | { kind: 'profile'; summary: ProfileSummary }
  | { kind: 'folder'; group: ProfileFolder }
  | { kind: 'file'; file: ProfileFile }
  | { kind: 'problem'; message: string };

const MAX_FILES = 2000;

class ProfilesTree extends LiveTree<ProfileNode> {
  private files = new Map<string, number>();

  async getChildren(node?: ProfileNode): Promise<ProfileNode[]> {
    if (!node) {
      const groups = groupProfileFiles([...this.files].map(([path, mtimeMs]) => ({ path, mtimeMs })));
      return [{ kind: 'received' }, ...groups.map((group): ProfileNode => ({ kind: 'folder', group }))];
    }
    if (node.kind === 'folder') return node.group.files.map((file) => ({ kind: 'file', file }));
    if (node.kind !== 'received') return [];
    const api = this.ctx.api;
    if (!api) return [{ kind: 'problem', message: 'The collector is not running' }];
    try {
      const list = await api.get<ProfileSummary[]>('/api/profiles');
      return list.map((summary) => ({ kind: 'profile', summary }));
    } catch (err) {
      return [{ kind: 'problem', message: (err as Error).message }];
    }
  }

  getTreeItem(node: ProfileNode): vscode.TreeItem {
    switch (node.kind) {
      case 'received': {
        const item = new vscode.TreeItem('Received and captured', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'profiles:received';
        item.iconPath = new vscode.ThemeIcon('flame');
        item.tooltip = 'Profiles the engine holds: sent over OTLP, captured from a URL, opened or merged.';
        return item;
      }
      case 'profile': {
        const s = node.summary;
        const item = new vscode.TreeItem(s.name || s.id, vscode.TreeItemCollapsibleState.None);
        item.id = `profile:${s.id}`;
        const when = s.startTimeUnixNano && s.startTimeUnixNano !== '0' ? ` · ${timeAgo(s.startTimeUnixNano, Date.now())}` : '';
        item.description = `${s.format} · ${formatCount(s.sampleCount)} samples${s.service ? ` · ${s.service}` : ''}${when}`;
        item.tooltip = `${s.name}\n${s.source} ${s.format}, ${s.sampleTypes.map((t) => t.type).join(', ')}${s.traceIds.length ? `\ntied to ${s.traceIds.length} trace(s)` : ''}\nClick to open; select several to merge.`;
        item.iconPath = new vscode.ThemeIcon('flame');
        item.command = { command: Command.showProfile, title: 'Open Profile', arguments: [s.id] };
        item.contextValue = 'profile';
        return item;
      }
      case 'folder': {
        const g = node.group;
        const item = new vscode.TreeItem(vscode.workspace.asRelativePath(g.folder, true), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `profiles:folder:${g.folder}`;
        const first = g.files[0], last = g.files[g.files.length - 1];
        item.description = `${g.files.length} file${g.files.length === 1 ? '' : 's'}${g.files.length > 1 && first.timeFromName ? ` · ${clock(first.timeMs)} → ${clock(last.timeMs)}` : ''}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.resourceUri = vscode.Uri.file(g.folder);
        return item;
      }
      case 'file': {
        const f = node.file;
        const name = basename(f.path);
        const item = new vscode.TreeItem(f.timeFromName ? clock(f.timeMs, true) : name, vscode.TreeItemCollapsibleState.None);
        item.id = `profiles:file:${f.path}`;
        item.description = f.timeFromName ? name : `modified ${clock(f.timeMs, true)}`;
        item.tooltip = `${f.path}\nClick to open its flame graph; select several to merge.`;
        item.resourceUri = vscode.Uri.file(f.path);
        item.iconPath = new vscode.ThemeIcon('file-binary');
        item.command = { command: 'vscode.openWith', title: 'Open Profile', arguments: [vscode.Uri.file(f.path), PROFILE_EDITOR] };
        item.contextValue = 'profileFile';
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
    }
  }

  /** Finds the matching files now and follows them as they come and go. */
  watch(globs: string[]): vscode.Disposable {
    const watchers = globs.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
    const add = async (uri: vscode.Uri) => {
      if (this.files.size >= MAX_FILES) return;
      const stat = await vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
      if (stat && stat.type === vscode.FileType.File) {
        this.files.set(uri.fsPath, stat.mtime);
        this.refresh();
      }
    };
    for (const w of watchers) {
      w.onDidCreate(add);
      w.onDidChange(add);
      w.onDidDelete((uri) => { if (this.files.delete(uri.fsPath)) this.refresh(); });
    }
    void (async () => {
      let found: vscode.Uri[] = [];
      for (const glob of globs) found.push(...await vscode.workspace.findFiles(glob, '**/node_modules/**', MAX_FILES).then((u) => u, () => []));
      if (!found.length) found = await walkForFiles(globs, MAX_FILES);
      for (const uri of found) await add(uri);
    })();
    return vscode.Disposable.from(...watchers);
  }

  reset(): void {
    this.files.clear();
  }
}

/** A tree node's profile: an engine id, or a workspace file to send first. */
export function profileOfNode(node: unknown): { id: string } | { file: string } | undefined {
  const n = node as ProfileNode | undefined;
  if (n?.kind === 'profile') return { id: n.summary.id };
  if (n?.kind === 'file') return { file: n.file.path };
  return undefined;
}

function clock(ms: number, seconds = false): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const today = new Date().toDateString() === d.toDateString();
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return today ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export function registerProfilesTree(ctx: LoupeContext): vscode.Disposable {
  const tree = new ProfilesTree(ctx);
  let watching = tree.watch(ctx.settings.profileWatchGlobs);
  return vscode.Disposable.from(
    LiveTree.register(ctx, View.profiles, tree, { canSelectMany: true, showCollapseAll: true }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('loupe.profileWatchGlobs')) return;
      watching.dispose();
      tree.reset();
      watching = tree.watch(readSettings().profileWatchGlobs);
      tree.refresh();
    }),
    { dispose: () => watching.dispose() },
  );
}
