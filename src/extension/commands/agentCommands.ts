// Loupe: Run Language-Model Tool… — runs one of the tools chat models get and shows the
// answer a model would read (where no chat is at hand, and to check what it is told).
// With arguments (`name`, `input`) it returns the text instead: a hook for tests and
// other extensions.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { UserError } from '../context.ts';
import { runEngineTool } from '../agent/languageModelTools.ts';

interface DeclaredTool {
  name: string;
  displayName?: string;
  userDescription?: string;
  inputSchema?: { required?: string[] };
}

export const runAgentTool = (ctx: LoupeContext) => async (name?: unknown, input?: unknown): Promise<string | undefined> => {
  ctx.requireApi();
  if (typeof name === 'string') return runEngineTool(ctx, name.replace(/^loupe_/, ''), input ?? {});
  const tools = (ctx.extension.extension.packageJSON?.contributes?.languageModelTools ?? []) as DeclaredTool[];
  const pick = await vscode.window.showQuickPick(tools.map((t) => ({ label: t.displayName ?? t.name, description: t.name, tool: t })), { title: 'Run a Loupe language-model tool' });
  if (!pick) return undefined;
  const required = pick.tool.inputSchema?.required ?? [];
  const typed = await vscode.window.showInputBox({
    title: `${pick.label}: arguments as JSON`,
    value: JSON.stringify(Object.fromEntries(required.map((k) => [k, '']))),
    prompt: required.length ? `Required: ${required.join(', ')}` : 'All arguments are optional: {} runs it as is',
    validateInput: (v) => { try { JSON.parse(v || '{}'); return undefined; } catch { return 'Not JSON: write an object such as {"traceId":"…"}'; } },
  });
  if (typed === undefined) return undefined;
  const args = JSON.parse(typed || '{}') as unknown;
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw new UserError('The arguments must be a JSON object, such as {"traceId":"…"}.');
  const text = await runEngineTool(ctx, pick.tool.name.replace(/^loupe_/, ''), args);
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: true });
  return text;
};
