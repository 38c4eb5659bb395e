// The logs view's filters and mode: kept as flat string parameters (the URL query in the
// browser, the webview's saved state in VS Code) and turned into `GET /api/logs` and
// `GET /api/logs/patterns` queries. The engine does the filtering.

import { rangeAndAttrsFromState, rangeProblems, setPage, stateValue, type TimeRange, type ViewState } from '../traces/traceFilters.ts';

export type LogsMode = 'list' | 'patterns';

export interface LogFilters {
  service: string;
  /** A severity name the engine knows (trace, debug, info, warn, error, fatal) or ''. */
  minSeverity: string;
  q: string;
  /** `key=value`, each. */
  attrs: string[];
  traceId: string;
  range: TimeRange;
  from: string;
  to: string;
  /** A pattern id from the patterns table: the list shows that pattern's records. */
  pattern: string;
  mode: LogsMode;
}

export const EMPTY_LOG_FILTERS: LogFilters = {
  service: '', minSeverity: '', q: '', attrs: [], traceId: '', range: '', from: '', to: '', pattern: '', mode: 'list',
};

export const SEVERITIES: [string, string][] = [
  ['', 'Any severity'], ['debug', 'DEBUG and up'], ['info', 'INFO and up'], ['warn', 'WARN and up'], ['error', 'ERROR and up'], ['fatal', 'FATAL'],
];

const TEXT_KEYS = ['service', 'q', 'traceId', 'from', 'to'] as const;

export function logFiltersFromState(state: ViewState): LogFilters {
  const one = (key: string) => stateValue(state, key);
  const f: LogFilters = { ...EMPTY_LOG_FILTERS, ...rangeAndAttrsFromState(state) };
  for (const key of TEXT_KEYS) f[key] = one(key);
  const severity = one('minSeverity');
  f.minSeverity = SEVERITIES.some(([v]) => v === severity) ? severity : '';
  const pattern = one('pattern');
  f.pattern = /^\d{1,9}$/.test(pattern) ? pattern : '';
  f.mode = one('mode') === 'patterns' ? 'patterns' : 'list';
  return f;
}

export function logFiltersToState(f: LogFilters): ViewState {
  const state: ViewState = {};
  for (const key of TEXT_KEYS) if (f[key]) state[key] = f[key];
  if (f.minSeverity) state.minSeverity = f.minSeverity;
  if (f.range) state.range = f.range;
  if (f.pattern) state.pattern = f.pattern;
  if (f.attrs.length) state.attr = [...f.attrs];
  if (f.mode === 'patterns') state.mode = 'patterns';
  return state;
}

/** Filters beyond the mode. */
export function hasLogFilters(f: LogFilters): boolean {
  return Object.keys(logFiltersToState({ ...f, mode: 'list' })).length > 0;
}

export function logFilterProblems(f: LogFilters): string[] {
  const problems = rangeProblems(f);
  if (f.traceId.trim() && !/^[0-9a-fA-F]{32}$/.test(f.traceId.trim())) problems.push('Trace ID: 32 hex digits');
  return problems;
}

function query(f: LogFilters, nowMs: number, limit: number, endNs?: string): URLSearchParams {
  const q = new URLSearchParams();
  if (f.service) q.set('service', f.service);
  if (f.minSeverity) q.set('minSeverity', f.minSeverity);
  if (f.q) q.set('q', f.q);
  for (const a of f.attrs) q.append('attr', a);
  if (f.traceId.trim()) q.set('traceId', f.traceId.trim().toLowerCase());
  setPage(q, f, nowMs, limit, endNs);
  return q;
}

/** A page of records, newest first; `endNs` continues below the last page. */
export function logsQuery(f: LogFilters, nowMs: number, limit: number, endNs?: string): string {
  const q = query(f, nowMs, limit, endNs);
  if (f.pattern) q.set('pattern', f.pattern);
  return `/api/logs?${q}`;
}

/** The pattern table for the same filters (a chosen pattern does not narrow it). */
export function patternsQuery(f: LogFilters, nowMs: number, limit: number): string {
  return `/api/logs/patterns?${query(f, nowMs, limit)}`;
}
