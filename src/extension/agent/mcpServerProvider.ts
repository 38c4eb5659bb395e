// Tells VS Code (1.101 and later) about the engine's MCP endpoint, so agent mode lists
// Loupe's tools without any mcp.json entry. The definition follows the running engine:
// a restart on another port fires a change.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { mcpApi } from './lmApi.ts';

export const MCP_PROVIDER_ID = 'loupe.mcp';

export function registerMcpServer(ctx: LoupeContext): vscode.Disposable[] {
  const mcp = mcpApi();
  if (!mcp) {
    ctx.log.info('This VS Code cannot register MCP servers from an extension (1.101 or later); add Loupe to mcp.json by hand, see the README.');
    return [];
  }
  const changed = new vscode.EventEmitter<void>();
  let lastUrl: string | undefined;
  const watch = ctx.onDidChangeData(() => {
    const url = ctx.api?.baseUrl;
    if (url !== lastUrl) {
      lastUrl = url;
      changed.fire();
    }
  });
  const version = String(ctx.extension.extension.packageJSON?.version ?? '0');
  let provider: vscode.Disposable;
  try {
    provider = mcp.register(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        const url = ctx.api?.baseUrl;
        return url ? [mcp.http('Loupe', `${url}/mcp`, version)] : [];
      },
    });
  } catch (err) {
    // VS Code 1.100 has the function behind an API proposal and throws when it is called.
    ctx.log.info(`This VS Code cannot register MCP servers from an extension (${(err as Error).message}); add Loupe to mcp.json by hand, see the README.`);
    watch.dispose();
    changed.dispose();
    return [];
  }
  ctx.log.info('Registered the engine\'s MCP endpoint as an MCP server definition (Loupe).');
  return [changed, watch, provider];
}
