// Alert evaluation cost: an engine in its own process holds an hour of golden-signal
// aggregates (16 routes of two services, from the signals bench's load process); 1,000
// rules over those routes, with windows from a minute to the hour, plus the two built-in
// rules on every route, are evaluated as the engine does every few seconds. The engine
// times each round itself; the median of several rounds is printed.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEngineProcess } from './support/engineProcess.ts';

const run = promisify(execFile);
const RATE = 100;
const HOUR_S = 3600;
const RULES = 1000;
const ROUNDS = 7;
const ROUTES = ['/users/:id', '/orders/:id', '/cart', '/search', '/checkout', '/login', '/products/:id', '/health'];
const SIGNALS = ['p50Ms', 'p90Ms', 'p99Ms', 'errorRate', 'requestsPerSecond'] as const;
const WINDOWS = [60, 120, 300, 600, 900, 1800, 3600];

export async function alertsBenchmark(): Promise<string[]> {
  const engine = await startEngineProcess(['--memory-budget-mb', '256']);
  try {
    const endMs = Math.floor(Date.now() / 1000) * 1000;
    await run(process.execPath, [join(__dirname, 'signalsLoad.js'), engine.httpUrl, String(RATE), String(HOUR_S), String(endMs - HOUR_S * 1000)], { maxBuffer: 1 << 20 });
    const rules = Array.from({ length: RULES }, (_, i) => ({
      name: `rule ${i}`, service: `shop-${i % 2}`, route: ROUTES[Math.floor(i / 2) % ROUTES.length],
      signal: SIGNALS[i % SIGNALS.length], op: '>', threshold: SIGNALS[i % SIGNALS.length] === 'errorRate' ? (i % 7 === 0 ? 0 : 0.5) : i % 7 === 0 ? 0 : 1e9, forSeconds: 30, windowSeconds: WINDOWS[i % WINDOWS.length],
    }));
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const put = await fetch(`${engine.httpUrl}/api/alerts/rules`, { method: 'PUT', body: JSON.stringify(rules) });
      if (!put.ok) throw new Error(`PUT /api/alerts/rules: ${put.status} ${await put.text()}`);
      const state = (await (await fetch(`${engine.httpUrl}/api/alerts/rules`)).json()) as { evaluation: { lastMs: number; lastCpuMs: number } };
      times.push(state.evaluation.lastMs);
      cpu.push(state.evaluation.lastCpuMs);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return [
      '',
      '| alerts (engine process, an hour of aggregates: 2 services × 8 routes) | median wall | best wall | median CPU | target |',
      '|---|---:|---:|---:|---:|',
      `| one evaluation round: ${RULES} rules (5 signals, windows 1 min–1 h) + 2 built-ins on every route | ${median(times).toFixed(1)} ms | ${Math.min(...times).toFixed(1)} ms | ${median(cpu).toFixed(1)} ms | ≤ 20 ms |`,
    ];
  } finally {
    await engine.stop();
  }
}
