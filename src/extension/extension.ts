// Loupe's entry point: wires the parts together and starts the collector. Each part
// lives in its own module; LoupeContext owns their lifecycle.

import * as vscode from 'vscode';
import { registerLanguageModelTools } from './agent/languageModelTools.ts';
import { registerMcpServer } from './agent/mcpServerProvider.ts';
import { registerFunctionCodeLens } from './codelens/functionCodeLens.ts';
import { registerCommands } from './commands.ts';
import { watchCollectorProblems } from './collectorProblems.ts';
import { LoupeContext } from './context.ts';
import { registerDebugEnvironment } from './environment/debugEnvironment.ts';
import { registerTerminalEnvironment } from './environment/terminalEnvironment.ts';
import { ENGINE_SETTINGS, Setting } from './ids.ts';
import { ViewPanel } from './panel/viewPanel.ts';
import { ProfileEditorProvider } from './profiles/profileEditor.ts';
import { TelemetryFileEditorProvider } from './files/telemetryFileEditor.ts';
import { registerProfileHints } from './profiles/profileHints.ts';
import { registerExceptionProblems } from './problems/exceptionProblems.ts';
import { affects } from './settings.ts';
import { stopWatchingWorkspaceFiles } from './source/workspaceFile.ts';
import { createStatusBar } from './statusBar.ts';
import { registerScrapeTargets } from './scrapeTargets.ts';
import { registerForwardSettings } from './forward/forwardSettings.ts';
import { registerTraceLinks } from './traceLinks.ts';
import { registerEndpointTree } from './views/endpointTree.ts';
import { registerErrorsTree } from './views/errorsTree.ts';
import { registerProfilesTree } from './views/profilesTree.ts';
import { registerServicesTree } from './views/servicesTree.ts';
import { registerAlerts } from './alerts/alerts.ts';

export function activate(extension: vscode.ExtensionContext): void {
  const started = performance.now();
  const ctx = new LoupeContext(extension);
  extension.subscriptions.push(ctx);

  registerCommands(ctx);
  ctx.push(
    createStatusBar(ctx),
    watchCollectorProblems(ctx),
    registerServicesTree(ctx),
    registerErrorsTree(ctx),
    registerEndpointTree(ctx),
    registerProfilesTree(ctx),
    ProfileEditorProvider.register(ctx),
    TelemetryFileEditorProvider.register(ctx),
    registerProfileHints(ctx),
    ...ViewPanel.registerSerializers(ctx),
    registerTraceLinks(),
    registerTerminalEnvironment(ctx),
    registerDebugEnvironment(ctx),
    registerExceptionProblems(ctx),
    registerFunctionCodeLens(ctx),
    registerScrapeTargets(ctx),
    registerForwardSettings(ctx),
    ...registerLanguageModelTools(ctx),
    ...registerMcpServer(ctx),
    registerAlerts(ctx),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affects(e, Setting.autoStart, Setting.pathMappings, Setting.problems, Setting.codeLens, Setting.injectEnvironment, ...ENGINE_SETTINGS)) return;
      ctx.reloadSettings();
      if (affects(e, ...ENGINE_SETTINGS) && ctx.state.kind !== 'stopped') void ctx.collector.start();
      else ctx.refreshNow();
    }),
  );

  // Activation stays cheap: attaching or starting the engine happens after it.
  if (ctx.settings.autoStart) void ctx.collector.start();
  ctx.log.info(`Loupe activated in ${(performance.now() - started).toFixed(1)} ms${ctx.settings.autoStart ? '; connecting to the collector' : ' (loupe.autoStart is off)'}.`);
}

/** The context itself is disposed through `extension.subscriptions`. */
export function deactivate(): void {
  stopWatchingWorkspaceFiles();
}
