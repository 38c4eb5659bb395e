// Loupe: Clear Data: empties the engine (every window sees it) and the Problems panel.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';

export const clearData = (ctx: LoupeContext) => async () => {
  const api = ctx.requireApi();
  const answer = await vscode.window.showWarningMessage(
    'Clear all traces, logs and metrics held by Loupe? Every VS Code window using this collector loses them.',
    { modal: true },
    'Clear Data',
  );
  if (answer !== 'Clear Data') return;
  await api.delete('/api/data');
  ctx.refreshNow();
  vscode.window.setStatusBarMessage('$(trash) Loupe data cleared', 3000);
};
