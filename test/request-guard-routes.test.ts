// Every route the engine serves (src/engine/api/routeTable.ts), asked as a hostile web
// page would: through a DNS-rebinding host name, from a foreign origin, as a cross-site
// "simple" POST (no preflight) and with a preflight the engine must not allow. Each is
// refused and nothing stored changes. The route list is checked against the source, so
// a new route that is not in the table fails here.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GET_ROUTES } from '../src/engine/api/router.ts';
import { ROUTES, type Route } from '../src/engine/api/routeTable.ts';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { profilesRequestProtobuf, sampleProfilesRequest } from '../src/engine/otlp/testSupport/profilesRequest.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

let running: RunningEngine;
let ids: { traceId: string; spanId: string; profileId: string };

function send(method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.httpPort, method, path, headers }, (res) => {
      let text = '';
      // The event stream never ends by itself: its first bytes are enough.
      const sse = String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', (d) => { text += d; if (sse) res.destroy(); });
      res.on('close', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const own = () => `127.0.0.1:${running.httpPort}`;

/** The route's path with real ids of stored data, so an allowed request would succeed. */
function concrete(route: Route): string {
  return route.path
    .replace('{traceId}', ids.traceId)
    .replace('{spanId}', ids.spanId)
    .replace('{id}', ids.profileId)
    .replace('{file}', 'main.js')
    .replace('{name}', 'search_traces')
    .replace(/\/compare$/, `/compare?a=${ids.traceId}&b=${ids.traceId}`)
    .replace(/\/search$/, '/search?q=span')
    .replace(/\/metrics\/series$/, '/metrics/series?name=attack');
}

/** A body the route would accept. */
function bodyFor(route: Route): { body?: Buffer | string; type?: string } {
  if (route.method === 'GET') return {};
  if (route.path === '/v1/traces') return { body: tracesRequest([validSpan()]), type: 'application/x-protobuf' };
  if (route.path === '/v1/logs') return { body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'attack' } }] }] }] }), type: 'application/json' };
  if (route.path === '/v1/metrics') return { body: JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'attack', gauge: { dataPoints: [{ asInt: '1', timeUnixNano: '1700000000000000000' }] } }] }] }] }), type: 'application/json' };
  if (route.path === '/v1development/profiles') return { body: profilesRequestProtobuf(sampleProfilesRequest()), type: 'application/x-protobuf' };
  if (route.path === '/api/profiles') return { body: 'main;attack 10\n', type: 'text/plain' };
  if (route.path === '/api/profiles/merge') return { body: JSON.stringify({ ids: [ids.profileId, ids.profileId] }), type: 'application/json' };
  if (route.path === '/api/agent/tools/{name}') return { body: '{}', type: 'application/json' };
  if (route.path === '/mcp') return { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), type: 'application/json' };
  if (route.path === '/api/metrics/targets') return { body: JSON.stringify(['http://127.0.0.1:1/metrics']), type: 'application/json' };
  return {};
}

async function snapshot(): Promise<unknown> {
  const status = JSON.parse((await send('GET', '/api/status', { host: own() })).text);
  const profiles = JSON.parse((await send('GET', '/api/profiles', { host: own() })).text);
  const targets = JSON.parse((await send('GET', '/api/metrics/targets', { host: own() })).text);
  return { counts: status.counts, dropped: status.dropped, instanceId: status.instanceId, profiles, targets, sseClients: running.engine.events.clientCount };
}

before(async () => {
  running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 32 * 1048576, maxBodyBytes: 1048576 });
  const span = validSpan();
  for (const route of ROUTES.filter((r) => r.path.startsWith('/v1'))) {
    const { body, type } = bodyFor(route);
    assert.equal((await send('POST', route.path, { host: own(), 'content-type': type! }, route.path === '/v1/traces' ? tracesRequest([span]) : body)).status, 200, route.path);
  }
  const imported = await send('POST', '/api/profiles?name=seed', { host: own() }, 'main;a;b 10\nmain;c 5\n');
  assert.equal(imported.status, 201);
  ids = { traceId: span.traceId!, spanId: span.spanId!, profileId: JSON.parse(imported.text).id };
});
after(async () => { await running.close(); });

describe('every route, asked by a hostile web page', () => {
  it('the route table covers every route the router and receivers serve', () => {
    const paths = new Set(ROUTES.map((r) => r.path));
    for (const path of Object.keys(GET_ROUTES)) assert.ok(paths.has(path), `GET ${path} is routed but not in ROUTES`);
    // Any path literal in the engine's serving code names a route in the table (or a prefix of one).
    const literal = /['"`](\/(?:api|v1|v1development|metrics|mcp|assets)(?:\/[A-Za-z0-9_.{}-]*)*)['"`]/g;
    for (const file of sourceFiles(join(__dirname, '..', 'src', 'engine'))) {
      for (const [, path] of readFileSync(file, 'utf8').matchAll(literal)) {
        const bare = path.replace(/\/$/, '');
        assert.ok([...paths].some((p) => p === bare || p.startsWith(`${bare}/`)), `${path} (in ${file}) is not in src/engine/api/routeTable.ts`);
      }
    }
  });

  it('each route answers its own page (so the refusals below are the guard’s doing)', async () => {
    for (const route of ROUTES.filter((r) => !r.changes || r.path.startsWith('/v1'))) {
      const { body, type } = bodyFor(route);
      // MCP's streamable HTTP asks the client to accept both of its answer forms.
      const accept: Record<string, string> = route.path === '/mcp' ? { accept: 'application/json, text/event-stream' } : {};
      const answer = await send(route.method, concrete(route), { host: own(), origin: `http://${own()}`, ...accept, ...(type ? { 'content-type': type } : {}) }, body);
      assert.ok(answer.status < 300, `${route.method} ${route.path}: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  });

  it('refuses every route through a foreign Host, a foreign Origin, a cross-site simple POST and a disallowed preflight; nothing changes', async () => {
    const before = await snapshot();
    let asked = 0;
    const refused = async (what: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | string) => {
      const answer = await send(method, path, headers, body).catch((err: Error) => assert.fail(`${what}: ${method} ${path}: ${err.message}`));
      asked++;
      assert.equal(answer.status, 403, `${what}: ${method} ${path} answered ${answer.status} ${answer.text.slice(0, 200)}`);
      assert.equal(answer.headers['access-control-allow-origin'], undefined, `${what}: ${method} ${path} must not let the page read the answer`);
      assert.match(answer.text, /refused|may not/, `${what}: the answer says why`);
    };
    const simpleBodies: [string, string][] = [
      ['text/plain', JSON.stringify({ resourceSpans: [] })],
      ['application/x-www-form-urlencoded', 'reason=pwned&ids=1'],
      ['multipart/form-data; boundary=x', '--x\r\ncontent-disposition: form-data; name="f"; filename="p.folded"\r\n\r\nmain 1\r\n--x--\r\n'],
    ];
    for (const route of ROUTES) {
      const path = concrete(route);
      const { body, type } = bodyFor(route);
      const typed: Record<string, string> = type ? { 'content-type': type } : {};
      const rebinding = `attacker.example:${running.httpPort}`;
      await refused('foreign Host', route.method, path, { host: rebinding, ...typed }, body);
      // A rebinding page's own requests look same-origin to the browser.
      await refused('rebinding page', route.method, path, { host: rebinding, origin: `http://${rebinding}`, ...typed }, body);
      await refused('foreign Origin', route.method, path, { host: own(), origin: 'https://evil.example', ...typed }, body);
      await refused('opaque Origin', route.method, path, { host: own(), origin: 'null', ...typed }, body);
      for (const [contentType, simple] of simpleBodies) {
        await refused(`cross-site ${contentType} POST`, 'POST', path, { host: own(), origin: 'https://evil.example', 'content-type': contentType, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }, simple);
        // Some browsers and extensions strip Origin; Sec-Fetch-Site still tells.
        await refused(`cross-site ${contentType} POST without Origin`, 'POST', path, { host: own(), 'content-type': contentType, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }, simple);
      }
      await refused('cross-site <img>/<script> GET', 'GET', path, { host: own(), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' });
      const preflight = { host: own(), 'access-control-request-method': route.method, 'access-control-request-headers': 'content-type' };
      await refused('preflight from a foreign origin', 'OPTIONS', path, { ...preflight, origin: 'https://evil.example' });
      if (route.path.startsWith('/v1')) {
        await refused('preflight for another method', 'OPTIONS', path, { ...preflight, origin: 'http://localhost:3000', 'access-control-request-method': 'DELETE' });
      } else {
        // Allowed origins are for OTLP exporters only: the query API stays same-origin.
        await refused('preflight from a local web app', 'OPTIONS', path, { ...preflight, origin: 'http://localhost:3000' });
        await refused('request from a local web app', route.method, path, { host: own(), origin: 'http://localhost:3000', ...typed }, body);
      }
    }
    assert.ok(asked >= ROUTES.length * 13, `${asked} requests`);
    assert.deepEqual(await snapshot(), before, 'nothing stored, cleared, stopped or attached');
  });

  it('still follows a link to the UI from another site (a top-level navigation reads nothing)', async () => {
    const answer = await send('GET', '/', { host: own(), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' });
    assert.equal(answer.status, 200);
    assert.equal((await send('POST', '/api/shutdown', { host: own(), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'content-type': 'application/x-www-form-urlencoded' }, 'a=b')).status, 403);
  });

  it('lets its own page clear the data and stop the engine', async () => {
    assert.equal((await send('DELETE', '/api/data', { host: own(), origin: `http://${own()}`, 'sec-fetch-site': 'same-origin' })).status, 200);
    const status = JSON.parse((await send('GET', '/api/status', { host: own() })).text);
    assert.equal(status.counts.spans, 0);
    let stopped = false;
    running.engine.stop = () => { stopped = true; };
    assert.equal((await send('POST', '/api/shutdown', { host: own(), origin: `http://${own()}` })).status, 202);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(stopped);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return /^(testSupport|testing|fixtures)$/.test(e.name) ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}
