// Loads the agent's libraries once, on the first agent request. The bundled engine loads
// dist/agentLibs.js, the file next to it, in place of the source (scripts/build.mjs).

import type * as AgentLibs from './agentLibs.ts';

let loading: Promise<typeof AgentLibs> | undefined;

export function loadAgentLibs(): Promise<typeof AgentLibs> {
  return (loading ??= import('./agentLibs.ts'));
}
