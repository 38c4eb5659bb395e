// The demo's settings, from environment variables, with defaults that work next to a
// Loupe engine started by `npm start`.

export interface DemoConfig {
  /** OTLP/HTTP base URL, for the startup message and the reachability check. */
  otlpEndpoint: string;
  /** Preferred ports; a busy one falls back to a free port. 0 picks a free one. */
  userPort: number;
  profilePort: number;
  requestsPerSecond: number;
  /** Stop on its own after this long (tests); undefined runs until Ctrl+C. */
  runSeconds: number | undefined;
  /** DEMO_SLOW=1: the "after my change" version, with slower queries and more failures, for compare. */
  slow: boolean;
  /** DEMO_SEED: latencies and failures drawn from a fixed sequence, so runs repeat (tests). */
  seed: number | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  return {
    otlpEndpoint: (env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:4318').replace(/\/+$/, ''),
    userPort: number(env, 'DEMO_USER_PORT', 7080, { min: 0, max: 65535 }),
    profilePort: number(env, 'DEMO_PROFILE_PORT', 7081, { min: 0, max: 65535 }),
    requestsPerSecond: number(env, 'DEMO_RATE', 4, { min: 0.1, max: 200 }),
    runSeconds: env.DEMO_SECONDS ? number(env, 'DEMO_SECONDS', 0, { min: 1, max: 86_400 }) : undefined,
    slow: flag(env, 'DEMO_SLOW'),
    seed: env.DEMO_SEED ? number(env, 'DEMO_SEED', 0, { min: 0, max: 0xffffffff }) : undefined,
  };
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '' || text === '0' || text === 'false' || text === 'no') return false;
  if (text === '1' || text === 'true' || text === 'yes') return true;
  throw new Error(`${name}=${env[name]}: expected 1 or 0`);
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, range: { min: number; max: number }): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new Error(`${name}=${text}: expected a number from ${range.min} to ${range.max}`);
  }
  return value;
}
