// The parts of VS Code's language-model API Loupe uses, declared here because the
// extension supports VS Code 1.90 (whose @types/vscode predate them): tools arrived in
// 1.95, MCP server definition providers in 1.101. Each is looked up at run time; an older
// VS Code simply goes without.

import * as vscode from 'vscode';

export interface ToolInvocation {
  input: unknown;
}

export interface LanguageModelTool {
  invoke(options: ToolInvocation, token: vscode.CancellationToken): Promise<unknown>;
  prepareInvocation?(options: ToolInvocation, token: vscode.CancellationToken): { invocationMessage?: string } | undefined;
}

export interface McpServerDefinitionProvider {
  onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[];
}

interface LmNamespace {
  registerTool?(name: string, tool: LanguageModelTool): vscode.Disposable;
  registerMcpServerDefinitionProvider?(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
}

interface LmClasses {
  LanguageModelToolResult?: new (content: unknown[]) => unknown;
  LanguageModelTextPart?: new (value: string) => unknown;
  McpHttpServerDefinition?: new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => unknown;
}

const api = vscode as unknown as { lm?: LmNamespace } & LmClasses;

/** `vscode.lm.registerTool` and the result classes, or undefined before VS Code 1.95. */
export function toolApi(): { register: NonNullable<LmNamespace['registerTool']>; result(text: string): unknown } | undefined {
  const lm = api.lm;
  const Result = api.LanguageModelToolResult;
  const Text = api.LanguageModelTextPart;
  if (typeof lm?.registerTool !== 'function' || !Result || !Text) return undefined;
  return { register: lm.registerTool.bind(lm), result: (text) => new Result([new Text(text)]) };
}

/** `vscode.lm.registerMcpServerDefinitionProvider` with the HTTP definition class, or undefined before VS Code 1.101. */
export function mcpApi(): { register: NonNullable<LmNamespace['registerMcpServerDefinitionProvider']>; http(label: string, url: string, version: string): unknown } | undefined {
  const lm = api.lm;
  const Http = api.McpHttpServerDefinition;
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || !Http) return undefined;
  return { register: lm.registerMcpServerDefinitionProvider.bind(lm), http: (label, url, version) => new Http(label, vscode.Uri.parse(url), undefined, version) };
}
