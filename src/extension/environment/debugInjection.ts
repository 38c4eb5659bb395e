// Which debug sessions get the OpenTelemetry environment, and how: launch
// configurations of runtimes with an OpenTelemetry SDK, through their `env`, never
// overriding a variable the configuration sets itself.

import type { OtelEnvironment } from './otelEnvironment.ts';

/** Debug types whose launch configurations take an `env` object. */
export const DEBUG_TYPES = ['node', 'pwa-node', 'python', 'debugpy', 'go', 'java', 'coreclr'] as const;

export interface LaunchConfiguration {
  type?: string;
  request?: string;
  env?: Record<string, string | null | undefined>;
  [key: string]: unknown;
}

export function withOtelEnvironment<T extends LaunchConfiguration>(config: T, otel: OtelEnvironment): T {
  if (!config.type || !(DEBUG_TYPES as readonly string[]).includes(config.type)) return config;
  // Attaching reaches a process that is already running: its environment is set.
  if (config.request === 'attach') return config;
  const own = config.env ?? {};
  const added = Object.fromEntries(Object.entries(otel).filter(([key]) => !(key in own)));
  if (!Object.keys(added).length) return config;
  return { ...config, env: { ...added, ...own } };
}
