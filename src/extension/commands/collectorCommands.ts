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
  const startedHere = ctx.state.kind === 'running' && ctx.state.startedHere;
  await ctx.collector.stop();
  void vscode.window.showInformationMessage(startedHere
    ? 'Loupe stopped its collector. Other windows that used it will start their own.'
    : 'This window no longer uses the Loupe collector; it keeps running for the windows or the terminal that started it.');
};

export const showCollectorLog = (ctx: LoupeContext) => () => {
  ctx.log.show(true);
};
