// Loupe's tools for VS Code's language models (`#loupeTrace` and the others in chat):
// each is declared in package.json and runs in the engine (`POST /api/agent/tools/{name}`),
// so VS Code's chat and MCP clients get the very same answers.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { UserError } from '../context.ts';
import { toolApi } from './lmApi.ts';

/** package.json names the tools `loupe_<engine name>`. */
const PREFIX = 'loupe_';

export function registerLanguageModelTools(ctx: LoupeContext): vscode.Disposable[] {
  const lm = toolApi();
  const declared = (ctx.extension.extension.packageJSON?.contributes?.languageModelTools ?? []) as { name: string; displayName?: string }[];
  if (!lm) {
    ctx.log.info('This VS Code has no language-model tool API (1.95 or later): Loupe\'s chat tools are off; the MCP endpoint still serves them.');
    return [];
  }
  try {
    const tools = declared.map((tool) => lm.register(tool.name, {
      prepareInvocation: () => ({ invocationMessage: `${tool.displayName ?? tool.name}…` }),
      invoke: async (options) => lm.result(await runEngineTool(ctx, tool.name.slice(PREFIX.length), options.input)),
    }));
    ctx.log.info(`Registered ${declared.length} language-model tools for chat (#${declared.map((t) => (t as { toolReferenceName?: string }).toolReferenceName).join(', #')}).`);
    return tools;
  } catch (err) {
    // An editor can list the API and still refuse it (a proposal, a fork): the rest of Loupe goes on.
    ctx.log.warn(`This editor refused Loupe's language-model tools (${(err as Error).message}); the MCP endpoint still serves them.`);
    return [];
  }
}

/** Runs one of the engine's tools; the text a model reads, or a UserError saying what went wrong. */
export async function runEngineTool(ctx: LoupeContext, name: string, input: unknown): Promise<string> {
  const api = ctx.requireApi();
  const { status, body } = await api.relayPost(`/api/agent/tools/${encodeURIComponent(name)}`, JSON.stringify(input ?? {}));
  const answer = body as { text?: string; error?: string } | null;
  if (status === 200 && typeof answer?.text === 'string') return answer.text;
  throw new UserError(answer?.error ?? `The Loupe engine answered ${status} to the ${name} tool.`);
}
