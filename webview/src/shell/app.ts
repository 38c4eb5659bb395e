// The page around the views: navigation, the live/paused switch with the engine's
// connection state, and store counts. Switches views on navigation from outside.

import type { ChangeEvent } from '../../../src/protocol/api.ts';
import type { ViewName } from '../../../src/protocol/webview.ts';
import type { Connection, Started, Transport } from '../transport/transport.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatCount } from '../ui/format.ts';
import { LiveState } from './liveState.ts';
import type { View } from './view.ts';
import { VIEWS } from './views.ts';

export class App {
  private readonly live = new LiveState();
  private readonly main = h('main', { class: 'app-main' });
  private readonly nav = h('nav', { class: 'app-nav', attrs: { 'aria-label': 'Views' } });
  private readonly counts = h('span', { class: 'app-counts', attrs: { 'aria-live': 'off' } });
  private readonly liveButton = h('button', { class: 'live-toggle', attrs: { 'aria-pressed': 'true' } });
  private connection: Connection = 'connecting';
  private current: { name: ViewName; view: View } | undefined;
  private readonly transport: Transport;
  private readonly initialState: Started['initialState'];

  constructor(started: Started) {
    this.transport = started.transport;
    this.initialState = started.initialState?.bind(started);
    this.liveButton.addEventListener('click', () => this.live.set(!this.live.isLive));
    this.live.onChange(() => this.renderLive());
    this.transport.onConnection((c) => { this.connection = c; this.renderLive(); });
    this.transport.onChange((e) => this.renderCounts(e.counts));
    this.transport.onNavigate((to) => this.open(to.view, to.state));
    document.addEventListener('keydown', (e) => {
      // P toggles live/paused when nothing that takes input has focus.
      if (e.key === 'p' && !e.ctrlKey && !e.metaKey && !e.altKey && isPlainTarget(e.target)) this.live.set(!this.live.isLive);
    });
    document.body.append(h('header', { class: 'app-bar' },
      h('span', { class: 'app-brand' }, 'Loupe'), this.nav, h('span', { class: 'app-spacer' }), this.counts, this.liveButton), this.main);
    this.renderLive();
    void this.transport.get<{ counts: ChangeEvent['counts'] }>('/api/status').then((s) => this.renderCounts(s.counts), () => undefined);
    this.open(started.view, started.state);
  }

  private open(name: ViewName, state: ViewState): void {
    if (this.current?.name !== name) {
      this.current?.view.dispose();
      const view = VIEWS[name].create({
        transport: this.transport,
        live: this.live,
        save: (s, push = false) => this.transport.saveState(name, s, push),
        navigate: (view, s) => this.transport.openView(view, s),
      });
      this.current = { name, view };
      replaceChildren(this.main, view.element);
      this.renderNav();
    }
    this.current.view.show(state);
  }

  private renderNav(): void {
    replaceChildren(this.nav, ...Object.entries(VIEWS).map(([name, entry]) => {
      const active = name === this.current?.name;
      return h('button', {
        class: `nav-item${active ? ' active' : ''}`,
        attrs: { 'aria-current': active ? 'page' : 'false' },
        on: { click: () => { const state = this.initialState?.(name as ViewName) ?? {}; this.open(name as ViewName, state); this.transport.saveState(name as ViewName, state, true); } },
      }, entry.title);
    }));
  }

  private renderLive(): void {
    const live = this.live.isLive;
    const offline = this.connection !== 'live';
    this.liveButton.className = `live-toggle ${offline ? 'offline' : live ? 'live' : 'paused'}`;
    this.liveButton.setAttribute('aria-pressed', String(live));
    this.liveButton.textContent = offline
      ? (this.connection === 'connecting' ? '◌ Connecting…' : '✕ Engine offline')
      : live ? '● Live' : '❚❚ Paused';
    this.liveButton.title = live ? 'Showing new data as it arrives. Click (or press P) to pause.' : 'Paused: the view holds still. Click (or press P) to go live.';
  }

  private renderCounts(counts: ChangeEvent['counts']): void {
    this.counts.textContent = `${formatCount(counts.traces)} traces · ${formatCount(counts.spans)} spans · ${formatCount(counts.logs)} logs`;
  }
}

function isPlainTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return true;
  return !target.closest('input, textarea, select, vscode-textfield, vscode-single-select, [contenteditable]');
}
