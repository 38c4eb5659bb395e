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
  const stop = ctx.collector.onState((state) => {
    const was = last;
    last = state.kind;
    if (state.kind === 'failed' && was !== 'failed') void notify(ctx, state);
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
