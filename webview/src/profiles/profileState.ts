// The profile view's state, flat (URL query in the browser, webview state in VS Code):
// which profile, which view of it, and the choices made in the toolbar.

import type { ViewState } from '../traces/traceFilters.ts';

export const MODES = ['flame', 'icicle', 'time', 'sandwich', 'top', 'diff'] as const;
export type Mode = (typeof MODES)[number];

export interface ProfileState {
  profile: string;
  mode: Mode;
  /** Sample type index; -1 for the profile's default. */
  type: number;
  q: string;
  /** Sandwich: the function's name. */
  fn: string;
  /** `key=value` of a label filter, or ''. */
  label: string;
  /** Diff: the base profile's id. */
  base: string;
  /** Diff: scale the base to the new profile's total. */
  normalize: boolean;
  sort: string;
  ascending: boolean;
  /** The list: show profiles tied to this trace. */
  traceId: string;
}

export function profileStateFrom(state: ViewState): ProfileState {
  const one = (k: string) => {
    const v = state[k];
    return typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? '' : '';
  };
  const mode = one('mode');
  const type = Number(one('type'));
  return {
    profile: /^[\w.:-]{1,128}$/.test(one('profile')) ? one('profile') : '',
    mode: (MODES as readonly string[]).includes(mode) ? mode as Mode : 'flame',
    type: one('type') !== '' && Number.isInteger(type) && type >= 0 ? type : -1,
    q: one('q'),
    fn: one('fn'),
    label: one('label').indexOf('=') > 0 ? one('label') : '',
    base: /^[\w.:-]{1,128}$/.test(one('base')) ? one('base') : '',
    normalize: one('normalize') !== '0',
    sort: one('sort'),
    ascending: one('order') === 'asc',
    traceId: /^[0-9a-f]{32}$/i.test(one('traceId')) ? one('traceId').toLowerCase() : '',
  };
}

export function profileStateTo(s: ProfileState): ViewState {
  const out: ViewState = {};
  if (s.profile) out.profile = s.profile;
  if (s.mode !== 'flame') out.mode = s.mode;
  if (s.type >= 0) out.type = String(s.type);
  if (s.q) out.q = s.q;
  if (s.fn) out.fn = s.fn;
  if (s.label) out.label = s.label;
  if (s.base) out.base = s.base;
  if (!s.normalize) out.normalize = '0';
  if (s.sort) out.sort = s.sort;
  if (s.ascending) out.order = 'asc';
  if (s.traceId) out.traceId = s.traceId;
  return out;
}

export function labelOf(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf('=');
  return at > 0 ? { key: text.slice(0, at), value: text.slice(at + 1) } : undefined;
}
