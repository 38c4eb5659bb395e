// What a Loupe tool for language models is: a name, a description the model reads, an
// input schema (zod, which the MCP server and the extension's package.json both use),
// and a function from the engine and the arguments to a compact text (asynchronous: a
// tool that reads the disk tier waits until what memory evicted is readable there).

import type { z } from 'zod';
import type { Engine } from '../engine.ts';
import type { AgentZod } from './agentLibs.ts';

export interface AgentTool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  /** What a VS Code chat user types after `#` to attach the tool (`#loupeTrace`). */
  reference: string;
  title: string;
  description: string;
  /** The input schema, built from zod once the agent's libraries are loaded (see loadAgentLibs.ts). */
  input(z: AgentZod): Shape;
  run(engine: Engine, args: z.infer<z.ZodObject<Shape>>, budget: number): string | Promise<string>;
}

export function defineTool<Shape extends z.ZodRawShape>(tool: AgentTool<Shape>): AgentTool<Shape> {
  return tool;
}

/** Bad tool arguments: the message says what was wrong and what to do. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}
