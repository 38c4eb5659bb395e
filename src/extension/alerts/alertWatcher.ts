// The engine's alerts as this window knows them: re-read when Loupe's data changes (the
// engine announces state changes on its event stream), with a notification when one
// starts firing, unless the user muted it.

import * as vscode from 'vscode';
import type { AlertStatus } from '../../protocol/alerts.ts';
import type { LoupeContext } from '../context.ts';
import { Command } from '../ids.ts';

const MUTES_KEY = 'loupe.alertMutes';
const HOUR_MS = 3600_000;

export function alertKey(a: Pick<AlertStatus, 'name' | 'service' | 'route'>): string {
  return `${a.name}\u0000${a.service}\u0000${a.route ?? ''}`;
}

/** Notifications of this alert stay silent for an hour (kept across windows and restarts). */
export async function muteAlert(ctx: LoupeContext, a: Pick<AlertStatus, 'name' | 'service' | 'route'>): Promise<void> {
  const now = Date.now();
  const mutes = Object.fromEntries(Object.entries(ctx.extension.globalState.get<Record<string, number>>(MUTES_KEY, {})).filter(([, until]) => until > now));
  mutes[alertKey(a)] = now + HOUR_MS;
  await ctx.extension.globalState.update(MUTES_KEY, mutes);
}

/** From an Alerts view item's context menu. */
export const muteAlertCommand = (ctx: LoupeContext) => async (a?: unknown) => {
  const alert = a as AlertStatus | undefined;
  if (!alert || typeof alert.name !== 'string' || typeof alert.service !== 'string') return;
  await muteAlert(ctx, alert);
  ctx.refreshNow();
};

export class AlertWatcher implements vscode.Disposable {
  alerts: AlertStatus[] = [];
  private firing = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly ctx: LoupeContext) {
    this.subscription = ctx.onDidChangeData(() => this.schedule());
    this.schedule();
  }

  get firingAlerts(): AlertStatus[] {
    return this.alerts.filter((a) => a.state === 'firing');
  }

  isMuted(a: AlertStatus): boolean {
    const until = this.ctx.extension.globalState.get<Record<string, number>>(MUTES_KEY, {})[alertKey(a)];
    return until !== undefined && until > Date.now();
  }

  async mute(a: Pick<AlertStatus, 'name' | 'service' | 'route'>): Promise<void> {
    await muteAlert(this.ctx, a);
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.refresh().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    });
  }

  private async refresh(): Promise<void> {
    const api = this.ctx.api;
    let alerts: AlertStatus[] = [];
    if (api) {
      try {
        alerts = await api.get<AlertStatus[]>('/api/alerts');
      } catch (err) {
        this.ctx.log.warn(`Alerts: could not read them: ${(err as Error).message}`);
        return;
      }
    }
    const before = this.firing;
    this.alerts = alerts;
    this.firing = new Set(this.firingAlerts.map(alertKey));
    for (const a of this.firingAlerts) {
      if (!before.has(alertKey(a)) && !this.isMuted(a)) void this.notify(a);
    }
    this.changed.fire();
  }

  private async notify(a: AlertStatus): Promise<void> {
    const choice = await vscode.window.showWarningMessage(`Loupe alert "${a.name}": ${a.message}`, 'Open signals', 'Open traces', 'Mute for 1 hour');
    if (choice === 'Open signals') void vscode.commands.executeCommand(Command.openSignals, { service: a.service, ...(a.route !== null ? { route: a.route } : {}) });
    else if (choice === 'Open traces') void vscode.commands.executeCommand(Command.openTraces, tracesFor(a));
    else if (choice === 'Mute for 1 hour') await this.mute(a);
  }
}

/** The traces behind an alert: the route's failures for an error rate, its slow requests for latency. */
export function tracesFor(a: AlertStatus): Record<string, string> {
  const filters: Record<string, string> = { service: a.service };
  if (a.route !== null) filters.attr = `http.route=${a.route}`;
  const signal = a.rule.signal;
  if (signal === 'errorRate') filters.status = 'error';
  else if (signal.endsWith('Ms') && a.threshold !== null) filters.minDurationMs = String(Math.round(a.threshold));
  return filters;
}
