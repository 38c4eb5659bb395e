// The trace list's filters: kept as flat string parameters (the URL query in the browser,
// the webview's saved state in VS Code) and turned into a `GET /api/traces` query. The
// engine does the filtering.

/** A view's persisted state: flat, so it reads and writes as a URL query. */
export type ViewState = Record<string, string | string[]>;

export type TimeRange = '' | '5m' | '15m' | '1h' | '6h' | '24h' | 'custom';

export interface TraceFilters {
  service: string;
  operation: string;
  status: '' | 'error' | 'ok' | 'unset';
  minDurationMs: string;
  maxDurationMs: string;
  /** `key=value`, each. */
  attrs: string[];
  q: string;
  range: TimeRange;
  /** Local date-time (`YYYY-MM-DDTHH:MM`) for a custom range. */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: TraceFilters = {
  service: '', operation: '', status: '', minDurationMs: '', maxDurationMs: '', attrs: [], q: '', range: '', from: '', to: '',
};

export const TIME_RANGES: { value: TimeRange; label: string; ms: number }[] = [
  { value: '', label: 'Any time', ms: 0 },
  { value: '5m', label: 'Last 5 minutes', ms: 5 * 60_000 },
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: 'custom', label: 'Between…', ms: 0 },
];

const STATUSES = ['', 'error', 'ok', 'unset'] as const;
const TEXT_KEYS = ['service', 'operation', 'minDurationMs', 'maxDurationMs', 'q', 'from', 'to'] as const;

export function filtersFromState(state: ViewState): TraceFilters {
  const f: TraceFilters = { ...EMPTY_FILTERS, ...rangeAndAttrsFromState(state) };
  for (const key of TEXT_KEYS) f[key] = stateValue(state, key);
  const status = stateValue(state, 'status');
  f.status = (STATUSES as readonly string[]).includes(status) ? status as TraceFilters['status'] : '';
  return f;
}

/** A key's value in a view's state (the first, where it has several), or ''. */
export function stateValue(state: ViewState, key: string): string {
  const v = state[key];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? '' : '';
}

/** The time range and the attribute filters, which every list keeps alike; what is not valid is left out. */
export function rangeAndAttrsFromState(state: ViewState): { range: TimeRange; attrs: string[] } {
  const range = stateValue(state, 'range');
  const attrs = state.attr;
  return {
    range: TIME_RANGES.some((r) => r.value === range) ? range as TimeRange : '',
    attrs: (Array.isArray(attrs) ? attrs : typeof attrs === 'string' ? [attrs] : []).filter(isAttributeFilter),
  };
}

export function filtersToState(f: TraceFilters): ViewState {
  const state: ViewState = {};
  for (const key of TEXT_KEYS) if (f[key]) state[key] = f[key];
  if (f.status) state.status = f.status;
  if (f.range) state.range = f.range;
  if (f.attrs.length) state.attr = [...f.attrs];
  return state;
}

export function isAttributeFilter(text: string): boolean {
  return text.indexOf('=') > 0;
}

/** The API path for a page of traces; `endNs` continues below the last page. */
export function tracesQuery(f: TraceFilters, nowMs: number, limit: number, endNs?: string): string {
  const q = new URLSearchParams();
  if (f.service) q.set('service', f.service);
  if (f.operation) q.set('operation', f.operation);
  if (f.status) q.set('status', f.status);
  if (isNumber(f.minDurationMs)) q.set('minDurationMs', f.minDurationMs.trim());
  if (isNumber(f.maxDurationMs)) q.set('maxDurationMs', f.maxDurationMs.trim());
  for (const a of f.attrs) q.append('attr', a);
  if (f.q) q.set('q', f.q);
  setPage(q, f, nowMs, limit, endNs);
  return `/api/traces?${q}`;
}

/** What every list's query ends with: the time range (below `endNs` when paging on) and the page size. */
export function setPage(q: URLSearchParams, f: Pick<TraceFilters, 'range' | 'from' | 'to'>, nowMs: number, limit: number, endNs?: string): void {
  const { start, end } = timeBounds(f, nowMs);
  if (start) q.set('start', start);
  const until = minNs(end, endNs);
  if (until) q.set('end', until);
  q.set('limit', String(limit));
}

/** The time range's bounds in Unix ns; a relative range ends now. */
export function timeBounds(f: Pick<TraceFilters, 'range' | 'from' | 'to'>, nowMs: number): { start?: string; end?: string } {
  const range = TIME_RANGES.find((r) => r.value === f.range);
  if (range && range.ms) return { start: msToNs(nowMs - range.ms) };
  if (f.range !== 'custom') return {};
  const from = Date.parse(f.from);
  const to = Date.parse(f.to);
  return { start: Number.isFinite(from) ? msToNs(from) : undefined, end: Number.isFinite(to) ? msToNs(to) : undefined };
}

/** A filter a user typed but the engine would reject (e.g. `abc` as a duration). */
export function filterProblems(f: TraceFilters): string[] {
  const problems = rangeProblems(f);
  for (const key of ['minDurationMs', 'maxDurationMs'] as const) {
    if (f[key].trim() && !isNumber(f[key])) problems.push(`${key === 'minDurationMs' ? 'Min' : 'Max'} duration: "${f[key].slice(0, 20)}" is not a number of milliseconds`);
  }
  return problems;
}

export function rangeProblems(f: Pick<TraceFilters, 'range' | 'from' | 'to'>): string[] {
  const problems: string[] = [];
  if (f.range === 'custom') {
    if (f.from && !Number.isFinite(Date.parse(f.from))) problems.push('From: not a date and time');
    if (f.to && !Number.isFinite(Date.parse(f.to))) problems.push('To: not a date and time');
  }
  return problems;
}

function isNumber(text: string): boolean {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) && Number(t) >= 0;
}

export function msToNs(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1_000_000n).toString();
}

export function minNs(a?: string, b?: string): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return BigInt(a) < BigInt(b) ? a : b;
}

export function hasFilters(f: TraceFilters): boolean {
  return Object.keys(filtersToState(f)).length > 0;
}
