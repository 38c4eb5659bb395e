// From a chart point or a route row to the trace list: the same service, the route (as
// the `http.route` attribute, or as the span name when the spans had no route), and the
// time window, in the trace list's own filter state.

import type { ViewState } from '../traces/traceFilters.ts';
import type { TimeWindow } from './signalsState.ts';

export function tracesStateFor(service: string, route: { route: string; source: 'http.route' | 'name' } | undefined, w: TimeWindow, errorsOnly: boolean): ViewState {
  const state: ViewState = { service, range: 'custom', from: localTime(Math.floor(w.startMs / 1000) * 1000), to: localTime(Math.ceil(w.endMs / 1000) * 1000) };
  if (route) {
    if (route.source === 'name') state.operation = route.route;
    else state.attr = [`http.route=${route.route}`];
  }
  if (errorsOnly) state.status = 'error';
  return state;
}

/** A `datetime-local` value (local time, to the second), as the trace list's range takes. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
