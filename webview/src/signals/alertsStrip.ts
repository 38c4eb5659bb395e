// Alerts on the signals view: the service's firing and pending alerts (and those that
// resolved within the hour) above the charts, each one a button that charts its route;
// the windows they fired in are what the charts mark.

import type { AlertStatus } from '../../../src/protocol/alerts.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { nsToMs } from './signalsState.ts';

/** A window an alert fired in (ms), for the charts to mark. */
export interface FiringWindow {
  startMs: number;
  endMs: number;
  label: string;
  resolved: boolean;
}

export class AlertsStrip {
  readonly element = h('section', { class: 'alerts-strip', attrs: { 'aria-label': 'Alerts', role: 'status' } });

  constructor(private readonly chartRoute: (route: string) => void) {
    this.element.hidden = true;
  }

  /** Shows the alerts of `service`; returns the firing windows of the chosen route (or of the service as a whole). */
  show(alerts: AlertStatus[], service: string, route: string, nowMs: number): FiringWindow[] {
    const mine = alerts.filter((a) => a.service === service && (a.state !== 'inactive' || a.resolvedAt !== undefined));
    this.element.hidden = mine.length === 0;
    replaceChildren(this.element, ...mine.map((a) => h('button', {
      class: `alert-chip alert-${a.state === 'inactive' ? 'resolved' : a.state}`,
      title: `${a.message}${a.route !== null ? '\nClick to chart this route' : ''}`,
      dataset: { alert: a.name, state: a.state },
      on: { click: () => { if (a.route !== null) this.chartRoute(a.route); } },
    },
    h('span', { class: 'alert-state' }, a.state === 'inactive' ? 'resolved' : a.state),
    h('span', { class: 'alert-name' }, oneLine(a.name)),
    h('span', { class: 'alert-message' }, oneLine(a.message)))));
    return mine
      .filter((a) => a.firedAt !== undefined && (route === '' || a.route === route || a.route === null))
      .map((a) => ({ startMs: nsToMs(a.firedAt!), endMs: a.resolvedAt ? nsToMs(a.resolvedAt) : nowMs, label: a.name, resolved: a.resolvedAt !== undefined }));
  }
}
