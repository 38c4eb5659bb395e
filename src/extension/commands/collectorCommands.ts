// Loupe: Start Collector, Stop Collector, Show Collector Log.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';

export const startCollector = (ctx: LoupeContext) => async () => {
  const state = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Loupe: starting the collector' },
    () => ctx.collector.start(),
  );
  if (state.kind === 'running') {
    vscode.window.setStatusBarMessage(`$(pulse) Loupe is listening on ${state.httpUrl}`, 4000);
  }
};

export const stopCollector = (ctx: LoupeContext) => async () => {
  await ctx.collector.stop();
  void vscode.window.showInformationMessage('Loupe stopped the collector, for every VS Code window that used it. Loupe: Start Collector starts it again.');
};

export const showCollectorLog = (ctx: LoupeContext) => () => {
  ctx.log.show(true);
};
