// The line above a live list (how many items, paused or not, what arrived meanwhile) and
// the list's empty and failed states: the same for traces and logs.

import type { StatusResponse } from '../../../src/protocol/api.ts';
import type { LiveState } from '../shell/liveState.ts';
import type { Transport } from '../transport/transport.ts';
import { h, replaceChildren } from './dom.ts';
import { formatCount } from './format.ts';

/** `summary`: what is shown, e.g. "200+ traces match". */
export function renderListStatus(el: HTMLElement, summary: string, live: LiveState, arrivedWhilePaused: number): void {
  const parts = [summary];
  if (!live.isLive) parts.push(arrivedWhilePaused ? `paused — ${formatCount(arrivedWhilePaused)} new since` : 'paused');
  replaceChildren(el, parts.join(' · '));
  if (!live.isLive && arrivedWhilePaused) {
    el.append(' ', h('button', { class: 'link-button', on: { click: () => live.set(true) } }, 'Show them'));
  }
}

/** Nothing matches the filters: say so, with a way out. */
export function renderNoMatch(el: HTMLElement, message: string, clear: () => void): void {
  replaceChildren(el, h('p', null, message), h('vscode-button', { attrs: { secondary: '' }, on: { click: clear } }, 'Clear filters'));
}

/** Nothing has arrived yet: where to send it (`env`: the exporter settings beyond the endpoint). */
export async function renderNothingYet(el: HTMLElement, transport: Transport, what: { intro: string; env: (status: StatusResponse | undefined) => string; outro: string }): Promise<void> {
  const status = await transport.get<StatusResponse>('/api/status').catch(() => undefined);
  replaceChildren(el,
    h('p', null, what.intro),
    h('pre', { class: 'endpoint-hint' }, `OTEL_EXPORTER_OTLP_ENDPOINT=${status?.otlp.http || 'http://127.0.0.1:4318'}\n`, what.env(status)),
    h('p', null, what.outro));
}

export function renderLoadError(el: HTMLElement, message: string, retry: () => void): void {
  el.hidden = false;
  replaceChildren(el, h('p', { class: 'error-text' }, message),
    h('vscode-button', { attrs: { secondary: '' }, on: { click: retry } }, 'Try again'));
}
