// `loupe.forward.*` reach the engine: sent whenever the collector comes up and when a
// forwarding setting changes. The engine is shared by every window, so a window with no
// endpoint of its own leaves another window's forwarding alone unless its user just
// emptied the setting.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { SETTINGS_SECTION, Setting } from '../ids.ts';
import { affects, openSettings } from '../settings.ts';
import { onEachEngine } from '../engine/onEachEngine.ts';

const FORWARD_SETTINGS = [Setting.forwardEndpoint, Setting.forwardProtocol, Setting.forwardHeaders, Setting.forwardCompression, Setting.forwardQueueMb];

/** The body of `PUT /api/forward` for the current settings ("" endpoint: off). */
export function forwardRequest(c: Pick<vscode.WorkspaceConfiguration, 'get'>): Record<string, unknown> {
  const endpoint = (c.get<string>(Setting.forwardEndpoint, '') ?? '').trim();
  if (!endpoint) return { endpoint: '' };
  const headers = c.get<Record<string, unknown>>(Setting.forwardHeaders, {}) ?? {};
  return {
    endpoint,
    protocol: c.get<string>(Setting.forwardProtocol, 'http'),
    headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => typeof v === 'string')),
    gzip: c.get<string>(Setting.forwardCompression, 'none') === 'gzip',
    queueBytes: Math.floor((c.get<number>(Setting.forwardQueueMb, 32) ?? 32) * 1048576),
  };
}

export function registerForwardSettings(ctx: LoupeContext): vscode.Disposable {
  const send = async (evenIfOff: boolean) => {
    const api = ctx.api;
    if (!api) return;
    const body = forwardRequest(vscode.workspace.getConfiguration(SETTINGS_SECTION));
    if (!body.endpoint && !evenIfOff) return;
    try {
      await api.putJson('/api/forward', JSON.stringify(body));
      ctx.log.info(body.endpoint ? `Forwarding everything received to ${String(body.endpoint)} over OTLP/${body.protocol === 'grpc' ? 'gRPC' : 'HTTP'}.` : 'Forwarding is off.');
      ctx.refreshNow();
    } catch (err) {
      const message = (err as Error).message;
      ctx.log.warn(`loupe.forward: ${message}`);
      const choice = await vscode.window.showWarningMessage(`Loupe cannot forward with these settings: ${message}`, 'Open Settings');
      if (choice) void openSettings(Setting.forwardEndpoint);
    }
  };
  const states = onEachEngine(ctx, () => void send(false));
  const settings = vscode.workspace.onDidChangeConfiguration((e) => {
    if (FORWARD_SETTINGS.some((key) => affects(e, key))) void send(true);
  });
  return vscode.Disposable.from({ dispose: states }, settings);
}
