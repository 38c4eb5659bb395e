// Tells the user when the collector cannot run, with the actions that fix it: retry,
// use another port, open settings, show the log.

import * as vscode from 'vscode';
import type { LoupeContext } from './context.ts';
import type { CollectorState } from './engine/collector.ts';
import { findFreePort } from './engine/freePort.ts';
import { Command, Setting } from './ids.ts';
import { openSettings, updateSetting } from './settings.ts';

const RETRY = 'Retry';
const ANOTHER_PORT = 'Use Another Port';
const SETTINGS = 'Open Settings';
const LOG = 'Show Log';

export function watchCollectorProblems(ctx: LoupeContext): vscode.Disposable {
  let last: CollectorState['kind'] = ctx.state.kind;
  let diskError: string | undefined;
  const stop = ctx.collector.onState((state) => {
    const was = last;
    last = state.kind;
    if (state.kind === 'failed' && was !== 'failed') void notify(ctx, state);
    if (state.kind === 'running' && state.restartedAfter) void notifyRestart(ctx, state.restartedAfter);
    // A data folder that cannot be written (or a full disk) leaves the engine in memory only: said once per engine.
    const error = state.kind === 'running' ? state.status.disk?.error : undefined;
    if (error && error !== diskError) void notifyDisk(error);
    if (state.kind === 'running') diskError = error;
  });
  return { dispose: stop };
}

async function notify(ctx: LoupeContext, state: Extract<CollectorState, { kind: 'failed' }>): Promise<void> {
  const actions = state.problem === 'port-taken' || state.problem === 'no-answer' ? [RETRY, ANOTHER_PORT, SETTINGS, LOG] : [RETRY, SETTINGS, LOG];
  const pick = await vscode.window.showErrorMessage(`Loupe: ${state.message}`, ...actions);
  switch (pick) {
    case RETRY:
      await ctx.collector.start();
      break;
    case ANOTHER_PORT:
      await useAnotherPort(ctx);
      break;
    case SETTINGS:
      await openSettings(Setting.httpPort);
      break;
    case LOG:
      await vscode.commands.executeCommand(Command.showCollectorLog);
      break;
  }
}

/** The engine died and this window started it again: the user should know what that cost. */
async function notifyRestart(ctx: LoupeContext, reason: string): Promise<void> {
  const kept = ctx.settings.persistence === 'off'
    ? 'What it held in memory is gone (loupe.persistence keeps data on disk across restarts)'
    : 'What it had written to disk is back';
  const pick = await vscode.window.showWarningMessage(`Loupe: the engine stopped unexpectedly (${reason}) and was restarted. ${kept}; apps whose exporters retry resend what failed meanwhile.`, LOG);
  if (pick === LOG) await vscode.commands.executeCommand(Command.showCollectorLog);
}

async function notifyDisk(error: string): Promise<void> {
  const pick = await vscode.window.showWarningMessage(`Loupe: ${error}`, SETTINGS, LOG);
  if (pick === SETTINGS) await openSettings(Setting.persistence);
  if (pick === LOG) await vscode.commands.executeCommand(Command.showCollectorLog);
}

/** Free ports for both listeners, saved in the user settings (the change restarts the collector). */
async function useAnotherPort(ctx: LoupeContext): Promise<void> {
  const host = ctx.settings.host;
  const httpPort = await findFreePort(host);
  let grpcPort = await findFreePort(host);
  while (grpcPort === httpPort) grpcPort = await findFreePort(host);
  await updateSetting(Setting.httpPort, httpPort);
  await updateSetting(Setting.grpcPort, grpcPort);
  void vscode.window.showInformationMessage(
    `Loupe now uses port ${httpPort} for OTLP/HTTP and ${grpcPort} for OTLP/gRPC (user settings). Apps must send there: new terminals get the new address; "Loupe: Copy OTLP Environment Variables" gives it to others.`,
  );
}
