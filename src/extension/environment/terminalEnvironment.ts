// Terminals opened in VS Code get the OpenTelemetry variables of the running engine
// (`loupe.injectEnvironment`), so apps started there send to Loupe unconfigured.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { otelEnvironment } from './otelEnvironment.ts';

export function registerTerminalEnvironment(ctx: LoupeContext): vscode.Disposable {
  const collection = ctx.extension.environmentVariableCollection;
  const apply = () => {
    const state = ctx.state;
    if (!ctx.settings.injectEnvironment || state.kind !== 'running') {
      // Kept while starting, so a brief reconnect does not ask terminals to relaunch.
      if (state.kind !== 'starting') collection.clear();
      return;
    }
    const env = otelEnvironment(state.httpUrl, ctx.settings.apiKey);
    if (Object.entries(env).every(([key, value]) => collection.get(key)?.value === value)) return;
    collection.clear();
    collection.description = new vscode.MarkdownString(`Loupe: send OpenTelemetry data to the local collector at ${env.OTEL_EXPORTER_OTLP_ENDPOINT} (setting \`loupe.injectEnvironment\`).`);
    for (const [key, value] of Object.entries(env)) collection.replace(key, value);
  };
  apply();
  const stop = ctx.collector.onState(apply);
  const settings = vscode.workspace.onDidChangeConfiguration(() => apply());
  return vscode.Disposable.from({ dispose: stop }, settings);
}
