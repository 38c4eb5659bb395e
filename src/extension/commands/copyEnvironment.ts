// Loupe: Copy OTLP Environment Variables, for apps started outside VS Code.

import * as vscode from 'vscode';
import { UserError, type LoupeContext } from '../context.ts';
import { environmentText, otelEnvironment } from '../environment/otelEnvironment.ts';

export const copyEnvironment = (ctx: LoupeContext) => async () => {
  const state = ctx.state;
  if (state.kind !== 'running') throw new UserError(`Loupe's collector is not running, so there is no endpoint to point apps at. Run "Loupe: Start Collector" first.`);
  const text = environmentText(otelEnvironment(state.httpUrl, ctx.settings.apiKey), process.platform === 'win32' ? 'powershell' : 'posix');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(`Copied the OTLP environment variables for ${state.httpUrl}: paste them into the shell that starts your app.`);
};
