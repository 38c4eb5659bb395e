// How an alert reads to a person: the signal, the route, the value and what it is
// compared with, in the units people think in (ms, %, requests/s).

import type { AlertState, BuiltInRuleName } from '../../protocol/alerts.ts';

interface Described {
  name: string;
  builtIn?: BuiltInRuleName;
  service: string;
  route: string | null;
  state: AlertState;
  firedValue?: number;
  signal?: string;
}

interface Values {
  value: number | null;
  threshold: number | null;
  baseline?: number | null;
}

export function describeValue(a: Described, v: Values): string {
  const where = a.route === null ? a.service : `${a.route} (${a.service})`;
  if (a.builtIn === 'route-error-rate-jump') {
    if (v.value === null) return `error rate of ${where}: no requests in the window`;
    return `error rate of ${where} is ${percent(v.value)}${v.baseline != null ? `, its baseline ${percent(v.baseline)}` : ''}`;
  }
  if (a.builtIn === 'route-p99-doubled') {
    if (v.value === null) return `p99 of ${where}: no requests in the window`;
    const ratio = v.baseline ? ` (${(v.value / v.baseline).toFixed(1)}× its baseline ${ms(v.baseline)})` : '';
    return `p99 of ${where} is ${ms(v.value)}${ratio}`;
  }
  if (v.value === null) return `${a.name}: no data for ${where} in the window`;
  const label = a.signal === 'metric' || !a.signal ? '' : `${SIGNAL_NAMES[a.signal] ?? a.signal} `;
  return `${a.name}: ${label}${where} at ${plain(v.value, a.signal)}${v.threshold !== null ? ` (threshold ${plain(v.threshold, a.signal)})` : ''}`;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
}

function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
}

/** Slow traffic in the unit that shows it: 0.00 req/s says nothing of 6 requests an hour. */
function rate(perSecond: number): string {
  if (perSecond === 0 || perSecond >= 0.1) return `${perSecond < 10 ? perSecond.toFixed(2) : Math.round(perSecond)} req/s`;
  if (perSecond * 60 >= 1) return `${(perSecond * 60).toFixed(1)} req/min`;
  return `${Number((perSecond * 3600).toPrecision(2))} req/h`;
}

const SIGNAL_NAMES: Record<string, string> = { p50Ms: 'p50 of', p90Ms: 'p90 of', p99Ms: 'p99 of', errorRate: 'error rate of', requestsPerSecond: 'requests/s of' };

function plain(x: number, signal: string | undefined): string {
  if (signal?.endsWith('Ms')) return ms(x);
  if (signal === 'errorRate') return percent(x);
  if (signal === 'requestsPerSecond') return rate(x);
  return Math.abs(x) >= 100 ? String(Math.round(x)) : String(Math.round(x * 1000) / 1000);
}
