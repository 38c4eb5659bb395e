// Links into this window that open a trace (`<scheme>://loupe.loupe/trace?id=…`): the
// Problems panel's diagnostic codes point here, since they can only hold a URI.

import * as vscode from 'vscode';
import { Command } from './ids.ts';

const EXTENSION_ID = 'loupe.loupe';

export function traceLink(traceId: string, spanId?: string): vscode.Uri {
  const query = new URLSearchParams({ id: traceId });
  if (spanId) query.set('span', spanId);
  return vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: EXTENSION_ID, path: '/trace', query: query.toString() });
}

export function registerTraceLinks(): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri(uri) {
      if (uri.path !== '/trace') return;
      const query = new URLSearchParams(uri.query);
      void vscode.commands.executeCommand(Command.openTrace, query.get('id') ?? undefined, query.get('span') ?? undefined);
    },
  });
}
