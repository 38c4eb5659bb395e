// The agent's routes: `POST /api/agent/tools/{name}` (what the extension's language-model
// tools call, with the tool's arguments as the JSON body), `GET /api/agent/tools` (the
// list), `GET /api/compare` (trace compare for the UI) and `/mcp`.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { AGENT_TOOLS, findAgentTool, runAgentTool } from '../agent/agentTools.ts';
import { compareQuery } from '../compare/compareQuery.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import type { Engine } from '../engine.ts';
import { serveMcp } from './mcpEndpoint.ts';

type Reply = (res: ServerResponse, status: number, body: unknown) => void;

const MAX_ARGS = 65536;

/** Answers the request when it is one of these routes; false otherwise. */
export async function routeAgent(engine: Engine, version: string, req: IncomingMessage, url: URL, res: ServerResponse, json: Reply): Promise<boolean> {
  const path = url.pathname;
  if (path === '/mcp') {
    await serveMcp(engine, version, req, res);
    return true;
  }
  if (path === '/api/compare') {
    if (req.method !== 'GET') return notAllowed(res, 'GET', json);
    // Traces of both tiers: one memory evicted compares as one it holds.
    json(res, 200, compareQuery(await BothTiers.read(engine), url.searchParams));
    return true;
  }
  if (path === '/api/agent/tools') {
    if (req.method !== 'GET') return notAllowed(res, 'GET', json);
    json(res, 200, AGENT_TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description })));
    return true;
  }
  const m = /^\/api\/agent\/tools\/([^/]+)$/.exec(path);
  if (!m) return false;
  if (req.method !== 'POST') return notAllowed(res, 'POST', json);
  const name = decodeURIComponent(m[1]);
  const tool = findAgentTool(name);
  if (!tool) {
    json(res, 404, { error: `no tool "${name.slice(0, 60)}"; the tools are ${AGENT_TOOLS.map((t) => t.name).join(', ')}` });
    return true;
  }
  const args = await readArgs(req);
  if (args instanceof Error) {
    json(res, 400, { error: args.message });
    return true;
  }
  const outcome = await runAgentTool(engine, tool, args);
  if (outcome.ok) json(res, 200, { text: outcome.text });
  else json(res, 400, { error: outcome.error });
  return true;
}

async function readArgs(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ARGS) return new Error('the arguments are over 64 KB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return new Error('body: expected the tool\'s arguments as a JSON object, e.g. {"traceId":"…"}');
  }
}

function notAllowed(res: ServerResponse, allow: string, json: Reply): true {
  res.setHeader('allow', allow);
  json(res, 405, { error: `method not allowed; use ${allow}` });
  return true;
}
