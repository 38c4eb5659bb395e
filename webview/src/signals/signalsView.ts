// The Golden Signals view: latency, traffic and errors of a service or route over a
// window, saturation beside them, the route table, and the metrics explorer; everything
// compared against a baseline when asked ("did my change make it slower?"). Its state
// (service, route, window, compare, tab) survives reloads.

import type { MetricSummary, ServiceSummary, SignalRoute, SignalsResponse } from '../../../src/protocol/api.ts';
import type { View, ViewContext } from '../shell/view.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { options } from '../ui/selectOptions.ts';
import { GoldenCharts } from './goldenCharts.ts';
import { MetricsExplorer } from './metricsExplorer.ts';
import { RouteTable } from './routeTable.ts';
import { SaturationCharts } from './saturation.ts';
import { baselineOf, msToNs, RANGES, signalsStateFrom, signalsStateTo, windowOf, windowQuery, type SignalsState, type TimeWindow } from './signalsState.ts';
import { tracesStateFor } from './traceLink.ts';
import type { AlertStatus } from '../../../src/protocol/alerts.ts';
import { AlertsStrip } from './alertsStrip.ts';
import { ReportedQuantileCharts } from './reportedQuantiles.ts';
import { SignalSourceNote } from './signalSource.ts';

const REFRESH_MS = 2000;

export class SignalsView implements View {
  readonly element = h('div', { class: 'signals-view' });
  private state: SignalsState = signalsStateFrom({});
  private readonly tabs = h('div', { class: 'signals-tabs', attrs: { role: 'tablist' } });
  private readonly service = h('vscode-single-select', { class: 'signals-service', attrs: { 'aria-label': 'Service' } });
  private readonly route = h('vscode-single-select', { class: 'signals-route', attrs: { 'aria-label': 'Route' } });
  private readonly range = h('vscode-single-select', { class: 'signals-range', attrs: { 'aria-label': 'Time range' } });
  private readonly compare = h('vscode-single-select', { class: 'signals-compare', attrs: { 'aria-label': 'Compare with' } });
  private readonly pin = h('vscode-button', { class: 'signals-pin', attrs: { secondary: '', title: 'Keep the window shown now as the baseline ("before my change") and compare against it' } }, 'Pin as baseline');
  private readonly status = h('div', { class: 'list-status signals-status', attrs: { role: 'status' } });
  private readonly golden: GoldenCharts;
  private readonly saturation: SaturationCharts;
  private readonly saturationHead = h('h2', { class: 'section-title' }, 'Saturation');
  private readonly routes: RouteTable;
  private readonly explorer: MetricsExplorer;
  private readonly signalsPage: HTMLElement;
  private services: string[] = [];
  private routeNames: string[] = [];
  /** Whether each route is an `http.route` value or a span name: the trace filter differs. */
  private routeSources = new Map<string, 'http.route' | 'name'>();
  private generation = 0;
  private lastLoad = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private shownWindow: TimeWindow = { startMs: 0, endMs: 0 };
  private readonly alertsStrip: AlertsStrip;
  private readonly sourceNote = new SignalSourceNote();
  private readonly reported: ReportedQuantileCharts;
  /** "Metrics beside spans": each route's metrics-derived figures next to its span-derived ones. */
  private withMetrics = false;
  private readonly metricsToggle = h('vscode-checkbox', { class: 'signals-with-metrics', attrs: { label: 'Metrics beside spans', title: 'Show each route\'s figures from its request metrics next to those from its spans; a large disagreement is flagged (sampling, missing spans)' } },);

  constructor(private readonly ctx: ViewContext) {
    const brushed = (startMs: number, endMs: number) => this.update({ range: 'custom', from: msToNs(startMs), to: msToNs(endMs) }, true);
    this.golden = new GoldenCharts(brushed, (startMs, endMs, errorsOnly) => this.openTraces(this.state.route || undefined, { startMs, endMs }, errorsOnly));
    const metricEvents = {
      brushed,
      clicked: (timeMs: number, exemplar: { traceId: string; spanId: string } | undefined) => {
        if (exemplar) ctx.navigate('traces', { trace: exemplar.traceId, ...(exemplar.spanId ? { span: exemplar.spanId } : {}) });
        else this.openTraces(undefined, { startMs: timeMs - 30_000, endMs: timeMs + 30_000 }, false);
      },
    };
    this.saturation = new SaturationCharts(ctx.transport, metricEvents);
    this.routes = new RouteTable({
      openTraces: (route) => this.openTraces(route, this.shownWindow, false),
      chartRoute: (route) => this.update({ route }, true),
    });
    this.explorer = new MetricsExplorer(ctx.transport, { ...metricEvents, chosen: (metric) => this.update({ metric }, true) });
    this.alertsStrip = new AlertsStrip((route) => this.update({ route }, true));
    this.reported = new ReportedQuantileCharts({ brushed, clicked: () => {} });
    this.metricsToggle.addEventListener('change', () => {
      this.withMetrics = (this.metricsToggle as HTMLElement & { checked: boolean }).checked;
      void this.load();
    });

    options(this.range, RANGES.map((r) => [r.value, r.label]));
    options(this.compare, [['', 'No comparison'], ['previous', 'Compare: previous window'], ['pinned', 'Compare: pinned baseline']]);
    this.service.addEventListener('change', () => { if (this.service.value !== this.state.service) this.update({ service: this.service.value, route: '' }, true); });
    this.route.addEventListener('change', () => { if (this.route.value !== this.state.route) this.update({ route: this.route.value }, true); });
    this.range.addEventListener('change', () => { if (this.range.value !== this.state.range && this.range.value !== 'custom') this.update({ range: this.range.value }, true); });
    this.compare.addEventListener('change', () => {
      const value = this.compare.value as SignalsState['compare'];
      if (value === this.state.compare) return;
      if (value === 'pinned' && !this.state.pinFrom) return this.pinNow();
      this.update({ compare: value }, true);
    });
    this.pin.addEventListener('click', () => this.pinNow());

    this.signalsPage = h('div', { class: 'signals-page' },
      this.alertsStrip.element,
      this.golden.element,
      this.sourceNote.element,
      this.reported.element,
      this.saturationHead, this.saturation.element,
      h('h2', { class: 'section-title' }, 'Routes'), this.routes.element);
    this.element.append(
      h('div', { class: 'filter-bar signals-bar' }, this.tabs, this.service, this.route, this.range, this.compare, this.pin, this.metricsToggle),
      this.status, this.signalsPage, this.explorer.element);

    this.unsubscribe.push(
      ctx.transport.onChange((e) => {
        if (e.cleared) return void this.load();
        if (!e.spans && !e.metricPoints && !e.alerts?.length) return;
        if (ctx.live.isLive && this.state.range !== 'custom') this.scheduleLoad();
      }),
      ctx.live.onChange((live) => { if (live) void this.load(); }),
    );
  }

  show(state: ViewState): void {
    this.state = signalsStateFrom(state);
    void this.load();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    this.golden.dispose();
    this.saturation.dispose();
    this.explorer.dispose();
    this.reported.dispose();
  }

  private update(change: Partial<SignalsState>, push: boolean): void {
    this.state = { ...this.state, ...change };
    this.ctx.save(signalsStateTo(this.state), push);
    void this.load();
  }

  private pinNow(): void {
    const w = windowOf(this.state, Date.now());
    this.update({ compare: 'pinned', pinFrom: msToNs(w.startMs), pinTo: msToNs(w.endMs) }, true);
  }

  private scheduleLoad(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastLoad + REFRESH_MS - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; void this.load(); }, wait);
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.lastLoad = Date.now();
    const s = this.state;
    this.renderControls();
    const window = windowOf(s, Date.now());
    const baseline = baselineOf(s, window);
    try {
      const [services, metrics] = await Promise.all([
        this.ctx.transport.get<ServiceSummary[]>('/api/services'),
        this.ctx.transport.get<MetricSummary[]>('/api/metrics'),
      ]);
      if (generation !== this.generation) return;
      if (s.tab === 'metrics') {
        this.services = services.map((x) => x.name);
        this.renderControls();
        await this.explorer.show(metrics, s.service, s.metric, window);
        this.status.textContent = `${metrics.length} metric${metrics.length === 1 ? '' : 's'} · ${describeWindow(s, window)}`;
        return;
      }
      const service = s.service || (await this.busiestService(window)) || services[0]?.name || '';
      if (generation !== this.generation) return;
      this.services = [...new Set([...services.map((x) => x.name), ...(service ? [service] : [])])].sort((a, b) => a.localeCompare(b));
      if (!service) {
        this.renderControls();
        this.status.textContent = 'No services yet: send traces with server or consumer spans, or request metrics (http.server.request.duration; or add a Prometheus scrape target), over OTLP on this endpoint and their golden signals appear here.';
        return;
      }
      const q = windowQuery(window, baseline);
      q.set('service', service);
      if (this.withMetrics) q.set('metrics', '1');
      const seriesQuery = new URLSearchParams(q);
      if (s.route) seriesQuery.set('route', s.route);
      else seriesQuery.set('only', 'service');
      const [signals, routes, alerts] = await Promise.all([
        this.ctx.transport.get<SignalsResponse>(`/api/signals?${seriesQuery}`),
        this.ctx.transport.get<SignalRoute[]>(`/api/signals/routes?${q}`),
        // An engine without alerts (older) still shows its signals.
        this.ctx.transport.get<AlertStatus[]>('/api/alerts').catch((): AlertStatus[] => []),
      ]);
      if (generation !== this.generation) return;
      this.state = { ...s, service };
      this.routeNames = routes.map((r) => r.route);
      this.routeSources = new Map([...signals.series, ...routes].filter((r) => r.route !== null).map((r) => [r.route!, r.routeSource]));
      this.renderControls();
      this.shownWindow = window;
      const chosen = signals.series.find((x) => x.route === (s.route || null));
      this.golden.show(chosen, signals.step, window);
      this.golden.mark(this.alertsStrip.show(alerts, service, s.route, Date.now()));
      this.sourceNote.show(chosen, routes, this.withMetrics);
      this.reported.show(chosen?.summaries, window);
      this.routes.show(routes, s.route);
      const saturationCount = await this.saturation.show(metrics, service, window, baseline);
      if (generation !== this.generation) return;
      this.saturationHead.hidden = saturationCount === 0;
      this.status.textContent = [
        `${oneLine(service)}${s.route ? ` · ${oneLine(s.route)}` : ' · all routes'}`,
        describeWindow(s, window),
        `${signals.step} s per point`,
        baseline ? `baseline ${describeBaseline(s, baseline)} (dashed)` : '',
        'drag across a chart to zoom; click a point for its traces',
      ].filter(Boolean).join(' · ');
    } catch (err) {
      if (generation !== this.generation) return;
      this.status.textContent = `Could not load signals: ${(err as Error).message}`;
    }
  }

  /** With no service chosen: the one with the most requests in the window. */
  private async busiestService(window: TimeWindow): Promise<string | undefined> {
    const rows = await this.ctx.transport.get<SignalRoute[]>(`/api/signals/routes?${windowQuery(window, undefined)}`);
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(r.service, (totals.get(r.service) ?? 0) + r.requests);
    return [...totals].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  private openTraces(route: string | undefined, w: TimeWindow, errorsOnly: boolean): void {
    const row = route === undefined ? undefined : { route, source: this.routeSource(route) };
    this.ctx.navigate('traces', tracesStateFor(this.state.service, row, w, errorsOnly));
  }

  private routeSource(route: string): 'http.route' | 'name' {
    return this.routeSources.get(route) ?? 'http.route';
  }

  private renderControls(): void {
    const s = this.state;
    replaceChildren(this.tabs, ...(['signals', 'metrics'] as const).map((tab) => h('button', {
      class: `nav-item${s.tab === tab ? ' active' : ''}`, attrs: { role: 'tab', 'aria-selected': String(s.tab === tab) }, dataset: { tab },
      on: { click: () => { if (s.tab !== tab) this.update({ tab }, true); } },
    }, tab === 'signals' ? 'Golden signals' : 'Metrics')));
    const services = this.services.map((n): [string, string] => [n, oneLine(n)]);
    options(this.service, s.tab === 'metrics' ? [['', 'All services'], ...services] : services, s.service);
    const routes = s.route && !this.routeNames.includes(s.route) ? [s.route, ...this.routeNames] : this.routeNames;
    options(this.route, [['', 'All routes'], ...routes.map((r): [string, string] => [r, oneLine(r)])], s.route);
    this.range.value = s.range;
    this.compare.value = s.compare;
    this.route.hidden = s.tab !== 'signals';
    this.compare.hidden = s.tab !== 'signals';
    this.pin.hidden = s.tab !== 'signals';
    this.metricsToggle.hidden = s.tab !== 'signals';
    this.signalsPage.hidden = s.tab !== 'signals';
    this.explorer.element.hidden = s.tab !== 'metrics';
  }
}

function describeWindow(s: SignalsState, w: TimeWindow): string {
  if (s.range !== 'custom') return RANGES.find((r) => r.value === s.range)?.label.toLowerCase() ?? '';
  return `${clock(w.startMs)} – ${clock(w.endMs)}`;
}

function describeBaseline(s: SignalsState, b: TimeWindow): string {
  return s.compare === 'previous' ? 'the previous window' : `pinned ${clock(b.startMs)} – ${clock(b.endMs)}`;
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
