// The bundled engine (dist/engine.js) keeps zod and the MCP SDK in a bundle of their own,
// dist/agentLibs.js, loaded on the first agent request: both the tool route and /mcp
// must find it next to the engine and answer as the in-process tests expect.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AGENT_TOOLS } from '../src/engine/agent/agentTools.ts';
import { startEngineChild, type EngineChild } from './support/engineChild.ts';

let engine: EngineChild;
before(async () => { engine = await startEngineChild([]); });
after(async () => { await engine.stop(); });

describe('the bundled engine\'s agent libraries', () => {
  it('validates and runs a tool through POST /api/agent/tools/{name}', async () => {
    const ok = await fetch(`${engine.httpUrl}/api/agent/tools/search_traces`, { method: 'POST', body: '{"limit":5}' });
    assert.equal(ok.status, 200);
    assert.match(((await ok.json()) as { text: string }).text, /No trace matches/);
    const bad = await fetch(`${engine.httpUrl}/api/agent/tools/search_traces`, { method: 'POST', body: '{"limit":"five"}' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /^search_traces: limit: Invalid input: expected number, received string/);
  });

  it('answers MCP on /mcp with every tool and its input schema', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const list = await fetch(`${engine.httpUrl}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    assert.equal(list.status, 200);
    const { result } = (await list.json()) as { result: { tools: { name: string; inputSchema: { required?: string[] } }[] } };
    assert.equal(result.tools.find((t) => t.name === 'trace_summary')?.inputSchema.required?.[0], 'traceId');
    assert.deepEqual(result.tools.map((t) => t.name), AGENT_TOOLS.map((t) => t.name));
  });
});
