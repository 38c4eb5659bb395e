// Loads the agent's libraries once, on the first agent request. The bundled engine loads
// dist/agentLibs.js, the file next to it, in place of the source (scripts/build.mjs).

export type AgentLibs = typeof import('./agentLibs.ts');

let loading: Promise<AgentLibs> | undefined;

export function loadAgentLibs(): Promise<AgentLibs> {
  return (loading ??= import('./agentLibs.ts'));
}
