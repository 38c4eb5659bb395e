// What the soak asks of each client process, and what each reports back.

import type { Signal } from './payloads.ts';

export type Protocol = 'http-protobuf' | 'http-json-gzip' | 'grpc';

export const PROTOCOL_NAMES: Record<Protocol, string> = {
  'http-protobuf': 'OTLP/HTTP protobuf',
  'http-json-gzip': 'OTLP/HTTP JSON + gzip',
  'grpc': 'OTLP/gRPC',
};

export interface ClientPlan {
  protocol: Protocol;
  /** The engine's HTTP URL, or its gRPC host:port. */
  target: string;
  seconds: number;
  /** Items per second, per signal. */
  rates: Record<Signal, number>;
  wide: boolean;
  /** This client's first send number: each client gets its own range, so trace ids never collide. */
  firstSend: number;
}

export interface SignalTally {
  /** Requests answered 200 / OK, and the items they carried. */
  requests: number;
  items: number;
  /** Items sent invalid on purpose, and the rejections the engine's answers reported. */
  invalidSent: number;
  rejectedAnswered: number;
  /** Answers of 429/503/UNAVAILABLE; each was retried after the delay the engine asked for. */
  refusals: number;
  /** Requests refused on every attempt: not stored, and given up. */
  gaveUp: number;
  gaveUpItems: number;
  /** Requests that failed otherwise (reset, timeout, another status): whether they were stored is unknown. */
  failed: number;
  failedItems: number;
  errors: string[];
  /** Sends that started more than one interval late: the client could not hold its rate. */
  lateSends: number;
  wireBytes: number;
  /** Round-trip time of each request answered 200 / OK, ms. */
  latenciesMs: number[];
}

export interface ClientReport {
  protocol: Protocol;
  seconds?: number;
  signals: Partial<Record<Signal, SignalTally>>;
}

export function emptyTally(): SignalTally {
  return { requests: 0, items: 0, invalidSent: 0, rejectedAnswered: 0, refusals: 0, gaveUp: 0, gaveUpItems: 0, failed: 0, failedItems: 0, errors: [], lateSends: 0, wireBytes: 0, latenciesMs: [] };
}

export function addTally(into: SignalTally, t: SignalTally): void {
  for (const k of ['requests', 'items', 'invalidSent', 'rejectedAnswered', 'refusals', 'gaveUp', 'gaveUpItems', 'failed', 'failedItems', 'lateSends', 'wireBytes'] as const) into[k] += t[k];
  into.errors.push(...t.errors);
  for (const ms of t.latenciesMs) into.latenciesMs.push(ms);
}
