// `GET /api/operations` as the bytes sent, kept until the spans, the golden signals or
// the disk tier's shares change. The Services tree asks again on every change event and
// every refresh, and between two ingests the answer is the same: a few hundred operations are about
// 100 KB of JSON, whose building and encoding cost more than the figures themselves.

import type { ServerResponse } from 'node:http';
import type { Engine } from '../engine.ts';
import { operationsWithSignals } from '../signals/requestFigures.ts';

interface Kept {
  /** The data's state the bodies were built from (TraceStore.changes, SignalStore.changes, SegmentShares.changes). */
  traces: number;
  signals: number;
  shares: number;
  /** By service ('' stands for all of them; a service name is never empty). */
  bodies: Map<string, Buffer>;
}

/** A bound on the services kept at once: each body is small, but names come from requests. */
const MAX_KEPT = 64;

const kept = new WeakMap<Engine, Kept>();

export function operationsBody(engine: Engine, service: string | undefined): Buffer {
  const traces = engine.traces.changes;
  const signals = engine.signals.changes;
  const shares = engine.disk?.shares.changes ?? 0;
  let k = kept.get(engine);
  if (!k || k.traces !== traces || k.signals !== signals || k.shares !== shares) kept.set(engine, k = { traces, signals, shares, bodies: new Map() });
  const key = service ?? '';
  let body = k.bodies.get(key);
  if (!body) {
    body = Buffer.from(JSON.stringify(operationsWithSignals(engine.aggregates.operationStats(service), engine.signals, service)));
    if (k.bodies.size >= MAX_KEPT) k.bodies.clear();
    k.bodies.set(key, body);
  }
  return body;
}

export function sendOperations(engine: Engine, service: string | undefined, res: ServerResponse): void {
  const body = operationsBody(engine, service);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
}
