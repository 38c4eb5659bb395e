// `GET /api/operations` as the bytes sent, kept until the spans, the golden signals or
// the disk tier's shares change. The Services tree asks again on every change event and
// every refresh, and between two ingests the answer is the same: a few hundred operations are about
// 100 KB of JSON, whose building and encoding cost more than the figures themselves.
// Kept gzip'd too: a tenth of the bytes goes out in one write, where 100 KB took a few
// rounds of the socket's buffer (each a wake-up of the engine on a busy machine).

import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Engine } from '../engine.ts';
import { operationsWithSignals } from '../signals/requestFigures.ts';

interface Body {
  plain: Buffer;
  /** Made on the first ask that accepts gzip. */
  gzip?: Buffer;
}

interface Kept {
  /** The data's state the bodies were built from (TraceStore.changes, SignalStore.changes, SegmentShares.changes). */
  traces: number;
  signals: number;
  shares: number;
  /** By service ('' stands for all of them; a service name is never empty). */
  bodies: Map<string, Body>;
}

/** A bound on the services kept at once: each body is small, but names come from requests. */
const MAX_KEPT = 64;

const kept = new WeakMap<Engine, Kept>();

function operationsBody(engine: Engine, service: string | undefined): Body {
  const traces = engine.traces.changes;
  const signals = engine.signals.changes;
  const shares = engine.disk?.shares.changes ?? 0;
  let k = kept.get(engine);
  if (!k || k.traces !== traces || k.signals !== signals || k.shares !== shares) kept.set(engine, k = { traces, signals, shares, bodies: new Map() });
  const key = service ?? '';
  let body = k.bodies.get(key);
  if (!body) {
    body = { plain: Buffer.from(JSON.stringify(operationsWithSignals(engine.aggregates.operationStats(service), engine.signals, service))) };
    if (k.bodies.size >= MAX_KEPT) k.bodies.clear();
    k.bodies.set(key, body);
  }
  return body;
}

export function sendOperations(engine: Engine, service: string | undefined, res: ServerResponse): void {
  const body = operationsBody(engine, service);
  const gzip = acceptsGzip(res.req.headers['accept-encoding']);
  const bytes = gzip ? (body.gzip ??= gzipSync(body.plain)) : body.plain;
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store', vary: 'accept-encoding',
    ...(gzip && { 'content-encoding': 'gzip' }),
  });
  res.end(bytes);
}

/** Whether an Accept-Encoding header takes gzip: named (or `*` when it is not) without q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let any = false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    const takes = !q || Number(q.slice(2)) > 0;
    if (coding === 'gzip') return takes;
    if (coding === '*') any = takes;
  }
  return any;
}
