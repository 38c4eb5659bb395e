// Profile commands: the Profiles panel, a quick pick of the engine's profiles, capture
// from a pprof URL (with progress and cancel), merge of the Profiles tree's selection,
// and hiding the per-line hints.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ProfileSummary } from '../../protocol/profile.ts';
import { UserError, type LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';
import { CaptureError, captureTarget, fetchProfile } from '../profiles/captureRequest.ts';
import { runningApi, sendProfile, uploadProfile } from '../profiles/profileUpload.ts';
import { profileOfNode } from '../views/profilesTree.ts';
import { formatCount, timeAgo } from '../views/format.ts';

const LAST_URL_KEY = 'loupe.captureUrl';

export function showProfile(ctx: LoupeContext, id: string): void {
  ctx.activeProfile.set(id);
  ViewPanel.show(ctx, 'profiles', { filters: { profile: id } });
}

export const openProfiles = (ctx: LoupeContext) => () => {
  ctx.requireApi();
  ViewPanel.show(ctx, 'profiles', { filters: {} });
};

export const showProfileCommand = (ctx: LoupeContext) => (id?: unknown) => {
  if (typeof id === 'string' && id) showProfile(ctx, id);
};

export const openProfile = (ctx: LoupeContext) => async () => {
  const api = ctx.requireApi();
  const list = await api.get<ProfileSummary[]>('/api/profiles');
  type Pick = vscode.QuickPickItem & { id?: string; file?: boolean };
  const items: Pick[] = [
    ...list.map((p) => ({
      label: `$(flame) ${p.name || p.id}`,
      description: `${p.format} · ${formatCount(p.sampleCount)} samples${p.service ? ` · ${p.service}` : ''}`,
      detail: `${p.source}${p.startTimeUnixNano && p.startTimeUnixNano !== '0' ? `, ${timeAgo(p.startTimeUnixNano, Date.now())}` : ''}`,
      id: p.id,
    })),
    { label: '$(folder-opened) Open a profile file…', file: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Loupe: Open Profile', placeHolder: list.length ? 'A profile the engine holds, or a file' : 'No profiles yet: open a file', matchOnDescription: true });
  if (!pick) return;
  if (pick.id) return showProfile(ctx, pick.id);
  const files = await vscode.window.showOpenDialog({
    title: 'Loupe: open a profile',
    canSelectMany: false,
    filters: { Profiles: ['pprof', 'gz', 'prof', 'pb', 'cpuprofile', 'heapprofile', 'folded', 'collapsed', 'txt'], 'All files': ['*'] },
  });
  if (files?.[0]) await vscode.commands.executeCommand('vscode.openWith', files[0], 'loupe.profileEditor');
};

export const captureProfile = (ctx: LoupeContext) => async () => {
  await runningApi(ctx);
  const last = ctx.extension.workspaceState.get<string>(LAST_URL_KEY) ?? 'http://localhost:6060/debug/pprof/profile?seconds=10';
  const text = await vscode.window.showInputBox({
    title: 'Loupe: Capture CPU Profile from URL',
    prompt: 'A Go-style pprof endpoint; seconds= sets how long it profiles (Go\'s default is 30)',
    value: last,
    validateInput: (v) => { try { captureTarget(v); return undefined; } catch (err) { return (err as Error).message; } },
  });
  if (!text) return;
  const { url, seconds } = captureTarget(text);
  await ctx.extension.workspaceState.update(LAST_URL_KEY, text.trim());
  const bytes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loupe: profiling ${url.host} for ${seconds} s`, cancellable: true }, async (progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    let elapsed = 0;
    const tick = setInterval(() => {
      elapsed++;
      if (elapsed <= seconds) progress.report({ increment: 100 / seconds, message: `${elapsed} of ${seconds} s` });
      else progress.report({ message: 'waiting for the profile…' });
    }, 1000);
    try {
      return await fetchProfile(url, seconds, cancel.signal);
    } catch (err) {
      if (err instanceof CaptureError) throw new UserError(err.message);
      throw err;
    } finally {
      clearInterval(tick);
    }
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const id = await sendProfile(ctx, bytes, `cpu-profile-${url.hostname}-${stamp}.pb.gz`, 'capture');
  showProfile(ctx, id);
};

/** From the Profiles tree: the clicked item and the selection (engine profiles and files). */
export const mergeProfiles = (ctx: LoupeContext) => async (clicked?: unknown, selected?: unknown[]) => {
  const nodes = (selected?.length ? selected : [clicked]).map(profileOfNode).filter((n) => n !== undefined);
  if (nodes.length < 2) throw new UserError('Select two or more profiles in the Profiles view (Ctrl/Cmd-click), then Merge.');
  const api = await runningApi(ctx);
  const ids = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loupe: merging ${nodes.length} profiles` }, () =>
    Promise.all(nodes.map((n) => ('id' in n ? n.id : uploadProfile(ctx, vscode.Uri.file(n.file))))));
  const names = nodes.map((n) => ('id' in n ? n.id : basename(n.file)));
  const { id } = await api.postJson('/api/profiles/merge', JSON.stringify({ ids, name: `merged: ${names.slice(0, 3).join(' + ')}${names.length > 3 ? ` + ${names.length - 3} more` : ''}` })) as { id: string };
  ctx.refreshNow();
  showProfile(ctx, id);
};

export const hideProfileHints = (ctx: LoupeContext) => () => {
  ctx.activeProfile.set(undefined);
};
