// The signals view's state, kept flat (URL query in the browser, webview state in VS Code):
// which service and route, which window (relative, or brushed to absolute times), what to
// compare against, and which tab. Also the windows and queries that follow from it.

import { msToNs, TIME_RANGES, type ViewState } from '../traces/traceFilters.ts';
import { nanosToMillis } from '../ui/format.ts';

export { msToNs };

export type Compare = '' | 'previous' | 'pinned';
export type Tab = 'signals' | 'metrics';

export interface SignalsState {
  tab: Tab;
  service: string;
  /** '' for the service as a whole. */
  route: string;
  /** A relative window ('15m'…), or 'custom' with `from`/`to` (Unix ns). */
  range: string;
  from: string;
  to: string;
  compare: Compare;
  /** The pinned baseline window (Unix ns), "before my change". */
  pinFrom: string;
  pinTo: string;
  /** The metrics explorer's chosen metric. */
  metric: string;
}

/** The trace list's relative ranges, and a brushed (absolute) one. */
export const RANGES: { value: string; label: string; ms: number }[] = [
  ...TIME_RANGES.filter((r) => r.ms > 0),
  { value: 'custom', label: 'Brushed range', ms: 0 },
];

const DEFAULTS: SignalsState = { tab: 'signals', service: '', route: '', range: '15m', from: '', to: '', compare: '', pinFrom: '', pinTo: '', metric: '' };
const KEYS = Object.keys(DEFAULTS) as (keyof SignalsState)[];
const NS = /^\d{1,20}$/;

export function signalsStateFrom(state: ViewState): SignalsState {
  const s = { ...DEFAULTS };
  for (const key of KEYS) {
    const v = state[key];
    const text = typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? '' : '';
    if (text) (s as Record<string, string>)[key] = text;
  }
  if (s.tab !== 'metrics') s.tab = 'signals';
  if (!RANGES.some((r) => r.value === s.range)) s.range = '15m';
  if (s.range === 'custom' && !(NS.test(s.from) && NS.test(s.to) && BigInt(s.from) < BigInt(s.to))) s.range = '15m';
  if (s.compare !== 'previous' && s.compare !== 'pinned') s.compare = '';
  if (s.compare === 'pinned' && !(NS.test(s.pinFrom) && NS.test(s.pinTo))) s.compare = '';
  return s;
}

export function signalsStateTo(s: SignalsState): ViewState {
  const state: ViewState = {};
  for (const key of KEYS) if (s[key] && s[key] !== DEFAULTS[key]) state[key] = s[key];
  if (s.range !== 'custom') { delete state.from; delete state.to; }
  return state;
}

export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/** The window shown, at `nowMs` for relative ranges. */
export function windowOf(s: SignalsState, nowMs: number): TimeWindow {
  if (s.range === 'custom') return { startMs: nsToMs(s.from), endMs: nsToMs(s.to) };
  const ms = RANGES.find((r) => r.value === s.range)?.ms ?? 15 * 60_000;
  return { startMs: nowMs - ms, endMs: nowMs };
}

/** The baseline: the window of equal length just before, or the pinned one. */
export function baselineOf(s: SignalsState, w: TimeWindow): TimeWindow | undefined {
  if (s.compare === 'previous') return { startMs: w.startMs - (w.endMs - w.startMs), endMs: w.startMs };
  if (s.compare === 'pinned') return { startMs: nsToMs(s.pinFrom), endMs: nsToMs(s.pinTo) };
  return undefined;
}

export function windowQuery(w: TimeWindow, baseline: TimeWindow | undefined): URLSearchParams {
  const q = new URLSearchParams({ start: msToNs(w.startMs), end: msToNs(w.endMs) });
  if (baseline) {
    q.set('baselineStart', msToNs(baseline.startMs));
    q.set('baselineEnd', msToNs(baseline.endMs));
  }
  return q;
}

export const nsToMs = nanosToMillis;
