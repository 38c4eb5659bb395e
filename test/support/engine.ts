// A real engine on free loopback ports, for tests.

import { startEngine, type RunningEngine } from '../../src/engine/server.ts';

/** `httpPort`: a given port (a restarted engine taking its predecessor's), else a free one. */
export async function startTestEngine(memoryBudgetMb = 64, httpPort = 0): Promise<RunningEngine> {
  return startEngine({ host: '127.0.0.1', httpPort, grpcPort: 0, memoryBudgetBytes: memoryBudgetMb * 1048576, maxBodyBytes: 20 * 1048576 });
}

export async function getJson<T = any>(base: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path);
  return { status: res.status, body: (await res.json()) as T };
}

export function hrTimeToNanos([s, ns]: [number, number]): string {
  return (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString();
}
