// Handing a profile file to the engine: read it, POST it to /api/profiles, get its id.
// Waits for a collector that is still starting; says what to do when there is none.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { UserError, type LoupeContext } from '../context.ts';

const START_WAIT_MS = 15_000;

export async function uploadProfile(ctx: LoupeContext, uri: vscode.Uri): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  return sendProfile(ctx, bytes, basename(uri.fsPath));
}

export async function sendProfile(ctx: LoupeContext, bytes: Uint8Array, name: string, source: 'capture' | 'import' = 'import'): Promise<string> {
  if (!bytes.length) throw new UserError(`${name} is empty: there is no profile in it.`);
  const api = await runningApi(ctx);
  const q = new URLSearchParams({ name });
  if (source === 'capture') q.set('source', 'capture');
  const { id } = await api.postBytes<{ id: string }>(`/api/profiles?${q}`, bytes);
  ctx.refreshNow();
  return id;
}

/** The engine's API, waiting a little for a collector that is starting. */
export async function runningApi(ctx: LoupeContext): Promise<NonNullable<LoupeContext['api']>> {
  if (ctx.api) return ctx.api;
  if (ctx.state.kind === 'starting') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { stop(); resolve(); }, START_WAIT_MS);
      const stop = ctx.collector.onState((s) => {
        if (s.kind !== 'starting') { clearTimeout(timer); stop(); resolve(); }
      });
    });
  }
  return ctx.requireApi();
}
