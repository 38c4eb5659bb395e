// GET /api/forward: forwarding's state. PUT /api/forward: starts, changes or stops it
// ({"endpoint": ""} stops); the VS Code extension sends `loupe.forward.*` here.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../engine.ts';
import { checkForwardOptions, DEFAULT_FORWARD_QUEUE_BYTES, ForwardOptionsError } from './forwardOptions.ts';

type Json = (res: ServerResponse, status: number, body: unknown) => void;

const MAX_BODY_BYTES = 64 * 1024;

/** Answers /api/forward and returns true; false for any other path. */
export async function routeForward(engine: Engine, req: IncomingMessage, url: URL, res: ServerResponse, json: Json): Promise<boolean> {
  if (url.pathname !== '/api/forward') return false;
  if (req.method === 'GET' || req.method === 'HEAD') {
    json(res, 200, engine.forwarder.status());
    return true;
  }
  if (req.method !== 'PUT') {
    res.setHeader('allow', 'GET, PUT');
    json(res, 405, { error: 'method not allowed; use GET or PUT' });
    return true;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      json(res, 413, { error: 'the forwarding settings are over 64 KiB' });
      return true;
    }
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    json(res, 400, { error: 'body: expected JSON such as {"endpoint": "http://collector:4318", "protocol": "http", "headers": {}, "gzip": false}' });
    return true;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    json(res, 400, { error: 'body: expected a JSON object with "endpoint" ("" turns forwarding off)' });
    return true;
  }
  const input = body as Record<string, unknown>;
  if (input.endpoint === '' || input.endpoint === null) {
    engine.forwarder.configure(undefined);
    json(res, 200, engine.forwarder.status());
    return true;
  }
  try {
    const queueBytes = input.queueBytes ?? Math.min(DEFAULT_FORWARD_QUEUE_BYTES, Math.floor(engine.options.memoryBudgetBytes / 4));
    engine.forwarder.configure(checkForwardOptions({ ...input, queueBytes }));
  } catch (err) {
    if (err instanceof ForwardOptionsError) {
      json(res, 400, { error: `body: ${err.message}` });
      return true;
    }
    throw err;
  }
  json(res, 200, engine.forwarder.status());
  return true;
}
