// Every command, registered from one table: its keys are the ids package.json declares
// (commandTable.test.ts reads this file to check both directions).

import * as vscode from 'vscode';
import type { LoupeContext } from './context.ts';
import { runAgentTool } from './commands/agentCommands.ts';
import { clearData } from './commands/clearData.ts';
import { compareTraces } from './commands/compareCommands.ts';
import { showCollectorLog, startCollector, stopCollector } from './commands/collectorCommands.ts';
import { copyEnvironment } from './commands/copyEnvironment.ts';
import { openExceptionSource } from './commands/exceptionSource.ts';
import { exportTraces } from './commands/exportTraces.ts';
import { importTelemetry } from './commands/importTelemetry.ts';
import { openAsTelemetryFile } from './files/telemetryFileEditor.ts';
import { openLogs } from './commands/logCommands.ts';
import { captureProfile, hideProfileHints, mergeProfiles, openProfile, openProfiles, showProfileCommand } from './commands/profileCommands.ts';
import { openTrace, openTraces } from './commands/traceCommands.ts';
import { openSignals } from './commands/signalsCommands.ts';
import { Command, type CommandId } from './ids.ts';
import { muteAlertCommand } from './alerts/alertWatcher.ts';

// Handlers take whatever arguments their callers (menus, tree items, links) pass.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandFactory = (ctx: LoupeContext) => (...args: any[]) => unknown;

const COMMANDS: { [id in CommandId]: CommandFactory } = {
  [Command.openTraces]: openTraces,
  [Command.openLogs]: openLogs,
  [Command.openSignals]: openSignals,
  [Command.startCollector]: startCollector,
  [Command.stopCollector]: stopCollector,
  [Command.showCollectorLog]: showCollectorLog,
  [Command.copyEnvironment]: copyEnvironment,
  [Command.exportTraces]: exportTraces,
  [Command.importTelemetry]: importTelemetry,
  [Command.openTelemetryFile]: openAsTelemetryFile,
  [Command.clearData]: clearData,
  [Command.openTrace]: openTrace,
  [Command.openExceptionSource]: openExceptionSource,
  [Command.openProfiles]: openProfiles,
  [Command.openProfile]: openProfile,
  [Command.captureProfile]: captureProfile,
  [Command.mergeProfiles]: mergeProfiles,
  [Command.hideProfileHints]: hideProfileHints,
  [Command.showProfile]: showProfileCommand,
  [Command.compareTraces]: compareTraces,
  [Command.runAgentTool]: runAgentTool,
  [Command.muteAlert]: muteAlertCommand,
};

export function registerCommands(ctx: LoupeContext): void {
  for (const [id, factory] of Object.entries(COMMANDS)) {
    const handler = factory(ctx);
    const what = id.replace(/^loupe\./, '').replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
    ctx.push(vscode.commands.registerCommand(id, (...args: unknown[]) => ctx.guard(what, () => handler(...args))));
  }
}
