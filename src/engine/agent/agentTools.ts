// Every tool Loupe gives language models, in the order a model should meet them. The
// MCP endpoint and the extension's language-model tools both serve this one list.

import type { Engine } from '../engine.ts';
import { QueryError } from '../query/params.ts';
import type { AgentZod } from './agentLibs.ts';
import type { AgentTool } from './agentTool.ts';
import { ToolInputError } from './agentTool.ts';
import { compareBeforeAfterTool, compareTracesTool } from './compareTools.ts';
import { goldenSignalsTool } from './goldenSignalsTool.ts';
import { loadAgentLibs } from './loadAgentLibs.ts';
import { logsTool } from './logsTool.ts';
import { profileTopTool } from './profileTopTool.ts';
import { recentErrorsTool } from './recentErrorsTool.ts';
import { DEFAULT_BUDGET } from './report.ts';
import { searchTracesTool } from './searchTracesTool.ts';
import { traceSummaryTool } from './traceSummaryTool.ts';

export const AGENT_TOOLS: readonly AgentTool[] = [
  searchTracesTool, traceSummaryTool, recentErrorsTool, goldenSignalsTool, logsTool, profileTopTool, compareTracesTool, compareBeforeAfterTool,
] as unknown as AgentTool[];

/** Every tool also takes this: the answer's size limit. */
export function budgetInput(z: AgentZod) {
  return {
    maxBytes: z.number().int().min(1024).max(65536).optional().describe(`Largest answer in bytes (default ${DEFAULT_BUDGET})`),
  };
}

export type ToolOutcome = { ok: true; text: string } | { ok: false; error: string };

/** Runs a tool on raw arguments: validated against its schema; bad input is an error the caller can show. */
export async function runAgentTool(engine: Engine, tool: AgentTool, rawArgs: unknown): Promise<ToolOutcome> {
  const { z } = await loadAgentLibs();
  const parsed = z.object({ ...tool.input(z), ...budgetInput(z) }).strict().safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return { ok: false, error: `${tool.name}: ${problems}` };
  }
  const { maxBytes, ...args } = parsed.data as Record<string, unknown> & { maxBytes?: number };
  try {
    return { ok: true, text: await tool.run(engine, args, maxBytes ?? DEFAULT_BUDGET) };
  } catch (err) {
    if (err instanceof QueryError || err instanceof ToolInputError) return { ok: false, error: `${tool.name}: ${err.message}` };
    throw err;
  }
}

export function findAgentTool(name: string): AgentTool | undefined {
  return AGENT_TOOLS.find((t) => t.name === name);
}
