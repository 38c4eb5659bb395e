// What the agent tools and the MCP endpoint need from outside Loupe: zod and the MCP SDK.
// They are half the engine's code yet serve only agent requests, so they are a bundle of
// their own (dist/agentLibs.js, see scripts/build.mjs) that `loadAgentLibs` loads on the
// first of those requests.

import { array, enum as zEnum, number, object, string } from 'zod';

export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** The schema builders the tools use, named one by one so the bundle leaves out the rest of zod (its locales above all). */
export const z = { array, enum: zEnum, number, object, string };

export type AgentZod = typeof z;
