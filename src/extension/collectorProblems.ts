// Tells the user when the collector cannot run, with the actions that fix it: retry,
// use another port, open settings, show the log; when it was restarted after it died;
// and when its disk tier stopped writing (full disk, unwritable folder), once.

import * as vscode from 'vscode';
import type { StatusResponse } from '../protocol/api.ts';
import type { LoupeContext } from './context.ts';
import { DiskAlerts, type DiskWarning } from './diskAlert.ts';
import type { CollectorState } from './engine/collector.ts';
import { findFreePort } from './engine/freePort.ts';
import { Command, Setting } from './ids.ts';
import { openSettings, updateSetting } from './settings.ts';

const RETRY = 'Retry';
const ANOTHER_PORT = 'Use Another Port';
const SETTINGS = 'Open Settings';
const LOG = 'Show Log';
const OPEN_FOLDER = 'Open Data Folder';
const RESTART = 'Restart Collector';
/** While live data arrives, the status (its disk tier) is read at most this often… */
const STATUS_AFTER_CHANGE_MS = 3000;
/** …and this often anyway: a segment's index is written after the last change event. */
const STATUS_EVERY_MS = 15_000;

export function watchCollectorProblems(ctx: LoupeContext): vscode.Disposable {
  let last: CollectorState['kind'] = ctx.state.kind;
  const disk = new DiskAlerts();
  const stop = ctx.collector.onState((state) => {
    const was = last;
    last = state.kind;
    if (state.kind === 'failed' && was !== 'failed') void notify(ctx, state);
    if (state.kind === 'running' && state.restartedAfter) void notifyRestart(ctx, state.restartedAfter);
    // A data folder that cannot be written leaves the engine in memory only from the start.
    if (state.kind === 'running') warnDisk(ctx, disk.check(state.status));
  });
  return vscode.Disposable.from({ dispose: stop }, watchDiskWhileRunning(ctx, disk));
}

/** The disk can fill up (or the folder lose its permissions) while the engine runs: its status says so. */
function watchDiskWhileRunning(ctx: LoupeContext, alerts: DiskAlerts): vscode.Disposable {
  let lastRead = 0;
  let pending: NodeJS.Timeout | undefined;
  let reading = false;
  const read = async () => {
    const api = ctx.api;
    if (!api || reading) return;
    reading = true;
    lastRead = Date.now();
    try {
      const status = await api.get<StatusResponse>('/api/status');
      ctx.collector.noteStatus(status);
      const warning = alerts.check(status);
      if (warning) {
        // The status bar and the Endpoint view show the stopped tier too.
        ctx.refreshNow();
        warnDisk(ctx, warning);
      }
    } catch {
      // The engine is gone or busy: the collector's own state change says what is wrong.
    } finally {
      reading = false;
    }
  };
  const changed = ctx.onDidChangeData(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      void read();
    }, Math.max(0, lastRead + STATUS_AFTER_CHANGE_MS - Date.now()));
  });
  const timer = setInterval(() => void read(), STATUS_EVERY_MS);
  return {
    dispose: () => {
      changed.dispose();
      clearInterval(timer);
      if (pending) clearTimeout(pending);
    },
  };
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

function warnDisk(ctx: LoupeContext, warning: DiskWarning | undefined): void {
  if (!warning) return;
  ctx.log.warn(warning.message);
  void vscode.window.showWarningMessage(warning.message, OPEN_FOLDER, RESTART, SETTINGS).then(async (pick) => {
    if (pick === OPEN_FOLDER) await openFolder(warning.dir);
    if (pick === RESTART) {
      // The engine stays in memory only until it starts again: after space is freed, this writes again.
      await ctx.collector.stop();
      await ctx.collector.start();
    }
    if (pick === SETTINGS) await openSettings(Setting.persistence);
  });
}

/** The system's file manager; a remote or browser window has none, so it gets the path to copy. */
async function openFolder(dir: string): Promise<void> {
  try {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
  } catch {
    await vscode.env.clipboard.writeText(dir);
    void vscode.window.showInformationMessage(`Loupe's data folder is ${dir} (copied to the clipboard).`);
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
