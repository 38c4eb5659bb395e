// The engine's settings from its command line and environment (flags win over
// environment variables, which win over the defaults).

import { normalizeOrigin } from './api/requestGuard.ts';
import { parseTarget } from './scrape/scraper.ts';
import { finishForwardFlags, forwardHeaders, forwardUsage, type ForwardDraft } from './forward/forwardFlags.ts';
import { ForwardOptionsError, type ForwardOptions } from './forward/forwardOptions.ts';

export interface EngineConfig {
  host: string;
  /** 0 means "pick a free port". */
  grpcPort: number;
  httpPort: number;
  memoryBudgetBytes: number;
  /** The OTLP request size limit, applied on the wire and after decompression. */
  maxBodyBytes: number;
  /** Exit after this long with no `/api/events` client (set by the editor extension); absent: never. */
  exitWhenUnusedMs?: number;
  /** Host names accepted besides loopback ones while listening on loopback ("*": any). */
  allowedHosts: string[];
  /** Prometheus endpoints to scrape: URLs, or name=URL. */
  scrapeTargets: string[];
  scrapeIntervalMs: number;
  /** The on-disk tier's folder; absent: memory only. */
  dataDir?: string;
  diskBudgetBytes: number;
  retentionHours: number;
  /** Where to forward what is received (--forward …); absent: nowhere. */
  forward?: ForwardOptions;
  /** A JSON file of alert rules (`--alert-rules`), as `PUT /api/alerts/rules` takes them. */
  alertRulesFile?: string;
  /** Origins of browser apps allowed to send OTLP besides localhost ones (`--cors-origin`). */
  corsOrigins: string[];
  /** When set, OTLP exports must carry it in `x-otlp-api-key` (`--api-key`). */
  apiKey?: string;
  /** Backpressure bound on export bodies being received and stored at once (`--max-inflight-mb`); absent: the default. */
  maxInFlightBytes?: number;
  /** Open connections per listener (`--max-connections`); absent: the default. */
  maxConnections?: number;
  /** `--help` was given: print `usage` and exit instead of starting. */
  help: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const usage = `Usage: node dist/engine.js [options]

Loupe's engine: a local OpenTelemetry (OTLP) endpoint with a query API and UI.

Options (each also read from the environment variable shown; flags win):
  --host <address>          interface to listen on (LOUPE_HOST, default 127.0.0.1)
  --grpc-port <port>        OTLP/gRPC port, 0 for a free one (LOUPE_GRPC_PORT, default 4317)
  --http-port <port>        OTLP/HTTP, API and UI port, 0 for a free one (LOUPE_HTTP_PORT, default 4318)
  --memory-budget-mb <mb>   memory kept for telemetry before the oldest is dropped (LOUPE_MEMORY_BUDGET_MB, default 256)
  --max-body-mb <mb>        largest OTLP request accepted, after decompression too (LOUPE_MAX_BODY_MB, default 20)
  --exit-when-unused-ms <ms> exit once no client has held /api/events for this long; 0 never
                            (LOUPE_EXIT_WHEN_UNUSED_MS, default 0; the VS Code extension sets it)
  --allowed-hosts <names>   host names (comma-separated, * for any) accepted besides 127.0.0.1 and
                            localhost while listening on loopback, e.g. a port-forwarding domain (LOUPE_ALLOWED_HOSTS)
  --scrape <urls>           Prometheus endpoints to scrape, comma-separated or repeated; name=URL stores
                            them under service "name" (LOUPE_SCRAPE)
  --scrape-interval-s <s>   seconds between scrapes (LOUPE_SCRAPE_INTERVAL_S, default 15)
  --data-dir <folder>       keep what is received on disk there too, queryable after memory drops it and
                            after a restart (LOUPE_DATA_DIR; default none: memory only)
  --disk-budget-mb <mb>     disk kept in --data-dir before the oldest segment is dropped
                            (LOUPE_DISK_BUDGET_MB, default 1024)
  --retention-hours <h>     age at which data on disk is dropped (LOUPE_RETENTION_HOURS, default 72)
${forwardUsage}
  --alert-rules <file>      a JSON file of alert rules, as PUT /api/alerts/rules takes them (LOUPE_ALERT_RULES)
  --cors-origin <origins>   origins (scheme://host:port, comma-separated or repeated) of browser apps allowed to
                            send OTLP besides pages on localhost; the query API stays same-origin (LOUPE_CORS_ORIGINS)
  --api-key <key>           require this key in the x-otlp-api-key header (gRPC: metadata) of every OTLP export;
                            prefer the variable, which other users cannot see in the process list (LOUPE_API_KEY)
  --max-inflight-mb <mb>    export bodies being received and stored at once; past it exports get 429 and
                            Retry-After (LOUPE_MAX_INFLIGHT_MB, default a quarter of the budget, at most 32)
  --max-connections <n>     open connections per port; more are closed at once (LOUPE_MAX_CONNECTIONS, default 512)
  --help, -h                show this text

Both "--flag value" and "--flag=value" work.`;

const MIB = 1024 * 1024;

interface Option {
  flag: string;
  env: string;
  fallback: string;
  apply(config: EngineConfig, value: string, source: string): void;
}

// Forwarding flags fill a draft, checked as a whole once every flag is read.
const drafts = new WeakMap<EngineConfig, ForwardDraft>();
const draftOf = (c: EngineConfig): ForwardDraft => drafts.get(c) ?? drafts.set(c, { headers: {} }).get(c)!;

const OPTIONS: readonly Option[] = [
  { flag: '--host', env: 'LOUPE_HOST', fallback: '127.0.0.1', apply: (c, v, s) => { c.host = parseHost(v, s); } },
  { flag: '--grpc-port', env: 'LOUPE_GRPC_PORT', fallback: '4317', apply: (c, v, s) => { c.grpcPort = parsePort(v, s); } },
  { flag: '--http-port', env: 'LOUPE_HTTP_PORT', fallback: '4318', apply: (c, v, s) => { c.httpPort = parsePort(v, s); } },
  {
    flag: '--memory-budget-mb', env: 'LOUPE_MEMORY_BUDGET_MB', fallback: '256',
    apply: (c, v, s) => { c.memoryBudgetBytes = Math.floor(parseMegabytes(v, s) * MIB); },
  },
  {
    flag: '--max-body-mb', env: 'LOUPE_MAX_BODY_MB', fallback: '20',
    apply: (c, v, s) => { c.maxBodyBytes = Math.floor(parseMegabytes(v, s) * MIB); },
  },
  {
    flag: '--exit-when-unused-ms', env: 'LOUPE_EXIT_WHEN_UNUSED_MS', fallback: '0',
    apply: (c, v, s) => { const ms = parseMilliseconds(v, s); if (ms > 0) c.exitWhenUnusedMs = ms; },
  },
  {
    flag: '--allowed-hosts', env: 'LOUPE_ALLOWED_HOSTS', fallback: '',
    apply: (c, v) => { c.allowedHosts = v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean); },
  },
  {
    flag: '--scrape', env: 'LOUPE_SCRAPE', fallback: '',
    apply: (c, v, s) => { c.scrapeTargets = parseScrapeTargets(v, s); },
  },
  {
    flag: '--scrape-interval-s', env: 'LOUPE_SCRAPE_INTERVAL_S', fallback: '15',
    apply: (c, v, s) => {
      const seconds = /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
      if (!(seconds >= 1)) throw new ConfigError(`${s} "${v}" is not an interval: use a number of seconds, 1 or more.`);
      c.scrapeIntervalMs = seconds * 1000;
    },
  },
  {
    flag: '--data-dir', env: 'LOUPE_DATA_DIR', fallback: '',
    apply: (c, v) => { if (v.trim()) c.dataDir = v.trim(); },
  },
  {
    flag: '--disk-budget-mb', env: 'LOUPE_DISK_BUDGET_MB', fallback: '1024',
    apply: (c, v, s) => { c.diskBudgetBytes = Math.floor(parseMegabytes(v, s) * MIB); },
  },
  {
    flag: '--retention-hours', env: 'LOUPE_RETENTION_HOURS', fallback: '72',
    apply: (c, v, s) => {
      const hours = /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
      if (!(hours > 0)) throw new ConfigError(`${s} "${v}" is not a time: use a positive number of hours, such as 72.`);
      c.retentionHours = hours;
    },
  },
  { flag: '--forward', env: 'LOUPE_FORWARD', fallback: '', apply: (c, v) => { draftOf(c).endpoint = v.trim() || undefined; } },
  { flag: '--forward-protocol', env: 'LOUPE_FORWARD_PROTOCOL', fallback: '', apply: (c, v) => { draftOf(c).protocol = v.trim() || undefined; } },
  { flag: '--forward-header', env: 'LOUPE_FORWARD_HEADERS', fallback: '', apply: (c, v, s) => forwardHeaders(draftOf(c), v, s) },
  { flag: '--forward-compression', env: 'LOUPE_FORWARD_COMPRESSION', fallback: '', apply: (c, v) => { draftOf(c).compression = v.trim() || undefined; } },
  {
    flag: '--forward-queue-mb', env: 'LOUPE_FORWARD_QUEUE_MB', fallback: '',
    apply: (c, v, s) => { if (v.trim()) draftOf(c).queueMb = parseMegabytes(v, s); },
  },
  {
    flag: '--alert-rules', env: 'LOUPE_ALERT_RULES', fallback: '',
    apply: (c, v) => { if (v.trim()) c.alertRulesFile = v.trim(); },
  },
  {
    flag: '--cors-origin', env: 'LOUPE_CORS_ORIGINS', fallback: '',
    apply: (c, v, s) => { c.corsOrigins = parseOrigins(v, s); },
  },
  {
    flag: '--api-key', env: 'LOUPE_API_KEY', fallback: '',
    apply: (c, v, s) => { const key = parseApiKey(v, s); if (key) c.apiKey = key; },
  },
  {
    flag: '--max-inflight-mb', env: 'LOUPE_MAX_INFLIGHT_MB', fallback: '',
    apply: (c, v, s) => { if (v.trim()) c.maxInFlightBytes = Math.floor(parseMegabytes(v, s) * MIB); },
  },
  {
    flag: '--max-connections', env: 'LOUPE_MAX_CONNECTIONS', fallback: '',
    apply: (c, v, s) => {
      if (!v.trim()) return;
      const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!(n >= 1)) throw new ConfigError(`${s} "${v}" is not a number of connections: use a whole number, 1 or more.`);
      c.maxConnections = n;
    },
  },
];

/** Flags that may be given more than once: their values join as a comma list. */
const REPEATABLE = new Set(['--scrape', '--forward-header', '--cors-origin']);

/**
 * `argv` are the arguments after the script (`process.argv.slice(2)`).
 * Throws ConfigError naming the bad flag or variable and how to fix it.
 */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): EngineConfig {
  const config: EngineConfig = { host: '', grpcPort: 0, httpPort: 0, memoryBudgetBytes: 0, maxBodyBytes: 0, allowedHosts: [], scrapeTargets: [], scrapeIntervalMs: 0, diskBudgetBytes: 0, retentionHours: 0, corsOrigins: [], help: false };
  const fromFlags = parseFlags(argv);
  if (fromFlags.help) return { ...defaults(), help: true };
  for (const option of OPTIONS) {
    const flagValue = fromFlags.values.get(option.flag);
    const envValue = env[option.env];
    if (flagValue !== undefined) option.apply(config, flagValue, option.flag);
    // An empty variable is treated as unset, as shells make it easy to export one by accident.
    else if (envValue !== undefined && envValue.trim() !== '') option.apply(config, envValue, option.env);
    else option.apply(config, option.fallback, option.flag);
  }
  try {
    const forward = finishForwardFlags(draftOf(config), config.memoryBudgetBytes);
    if (forward) config.forward = forward;
  } catch (err) {
    if (err instanceof ForwardOptionsError) throw new ConfigError(err.message);
    throw err;
  }
  return config;
}

function defaults(): EngineConfig {
  return parseConfig([], {});
}

function parseFlags(argv: readonly string[]): { help: boolean; values: Map<string, string> } {
  const values = new Map<string, string>();
  // --help wins over anything else on the line, even mistakes, so it always shows the usage.
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { help: true, values };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    if (!OPTIONS.some((o) => o.flag === flag)) {
      const what = arg.startsWith('-') ? `unknown option "${flag}"` : `unexpected argument "${arg}"`;
      throw new ConfigError(`${what}. Run with --help to see the options.`);
    }
    let value: string | undefined;
    if (eq !== -1 && arg.startsWith('--')) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value, as in "${flag} <value>" or "${flag}=<value>".`);
    const earlier = values.get(flag);
    values.set(flag, REPEATABLE.has(flag) && earlier !== undefined ? `${earlier},${value}` : value);
  }
  return { help: false, values };
}

function parseScrapeTargets(value: string, source: string): string[] {
  const targets = value.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of targets) {
    try {
      parseTarget(t);
    } catch (err) {
      throw new ConfigError(`${source}: ${(err as Error).message}`);
    }
  }
  return targets;
}

function parseOrigins(value: string, source: string): string[] {
  return value.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    const origin = normalizeOrigin(o);
    if (!origin) throw new ConfigError(`${source}: "${o.slice(0, 100)}" is not an origin: write scheme://host:port, such as http://myapp.test:8080 (no path, no wildcard).`);
    return origin;
  });
}

function parseApiKey(value: string, source: string): string {
  const key = value.trim();
  // The key travels in OTEL_EXPORTER_OTLP_HEADERS, a comma-separated list of key=value pairs.
  if (key && !/^[\x21-\x7e]+$/.test(key)) throw new ConfigError(`${source}: the API key may hold only printable ASCII characters without spaces.`);
  if (key && /[,=%]/.test(key)) throw new ConfigError(`${source}: the API key may not contain ",", "=" or "%" (they would need escaping in OTEL_EXPORTER_OTLP_HEADERS).`);
  return key;
}

function parseHost(value: string, source: string): string {
  const host = value.trim();
  if (host === '') throw new ConfigError(`${source} is empty: give an address to listen on, such as 127.0.0.1 or 0.0.0.0.`);
  return host;
}

function parsePort(value: string, source: string): number {
  const port = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new ConfigError(`${source} "${value}" is not a port: use a whole number from 1 to 65535, or 0 to pick a free port.`);
  }
  return port;
}

function parseMilliseconds(value: string, source: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new ConfigError(`${source} "${value}" is not a duration: use a whole number of milliseconds, or 0 for never.`);
  return Number(value);
}

function parseMegabytes(value: string, source: string): number {
  const mb = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(mb > 0)) throw new ConfigError(`${source} "${value}" is not a size: use a positive number of megabytes, such as 64.`);
  return mb;
}
