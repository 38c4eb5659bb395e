// Synthetic request traffic for alert tests and the alerts bench: a route's requests per
// second with latencies spread around a median (a seeded generator, so runs repeat).

import type { SignalStore } from '../signals/signalStore.ts';

export interface Traffic {
  service: string;
  route: string;
  perSecond: number;
  medianMs: number;
  /** Every request's chance of failing. */
  errorRate: number;
}

/** A seeded uniform generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Adds `seconds` of traffic from `fromNs`; latencies log-normal-ish around the median, a long tail included. */
export function addTraffic(store: SignalStore, t: Traffic, fromNs: number, seconds: number, random: () => number): void {
  const n = Math.round(t.perSecond * seconds);
  for (let i = 0; i < n; i++) {
    const at = fromNs + (i / n) * seconds * 1e9;
    const spread = Math.exp((random() + random() + random() - 1.5) * 0.6);
    const ms = t.medianMs * spread;
    store.add(t.service, t.route, false, at, ms * 1e6, random() < t.errorRate);
  }
}
