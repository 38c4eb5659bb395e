// What the Compare view shows, read from its state (URL or webview state), and the
// `/api/compare` query for it.

import type { ViewState } from '../traces/traceFilters.ts';

export type CompareState =
  | { kind: 'empty' }
  | { kind: 'traces'; a: string; b?: string; against?: 'previous' | 'median'; n?: string }
  | { kind: 'groups'; service: string; operation: string; at: string; n?: string };

export function readCompareState(state: ViewState): CompareState {
  const one = (key: string) => {
    const v = state[key];
    return typeof v === 'string' && v ? v : undefined;
  };
  const a = one('a');
  const n = one('n');
  if (a) {
    const against = one('against');
    return { kind: 'traces', a, b: one('b'), against: against === 'median' ? 'median' : against === 'previous' || !one('b') ? 'previous' : undefined, ...(n ? { n } : {}) };
  }
  const service = one('service');
  const operation = one('operation');
  const at = one('at');
  if (service && operation && at) return { kind: 'groups', service, operation, at, ...(n ? { n } : {}) };
  return { kind: 'empty' };
}

export function compareQuery(s: CompareState): string | undefined {
  switch (s.kind) {
    case 'empty': return undefined;
    case 'traces': return new URLSearchParams({ a: s.a, ...(s.b ? { b: s.b } : { against: s.against ?? 'previous' }), ...(s.n && !s.b ? { n: s.n } : {}) }).toString();
    case 'groups': return new URLSearchParams({ service: s.service, operation: s.operation, at: s.at, ...(s.n ? { n: s.n } : {}) }).toString();
  }
}
