// `loupe.alerts`, `loupe.builtInAlerts` and `loupe.signalMetrics` reach the engine: sent when
// the collector comes up and whenever they change. A rule the engine refuses is shown with
// the field it named and a way to the setting.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { SETTINGS_SECTION, Setting } from '../ids.ts';
import { affects, openSettings } from '../settings.ts';
import { onEachEngine } from '../engine/onEachEngine.ts';

export function registerAlertSettings(ctx: LoupeContext): vscode.Disposable {
  const config = () => vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const send = async (what: 'rules' | 'names') => {
    const api = ctx.api;
    if (!api) return;
    try {
      if (what === 'rules') {
        const rules = config().get<unknown[]>(Setting.alerts, []) ?? [];
        const builtIn = config().get<Record<string, boolean>>(Setting.builtInAlerts, {}) ?? {};
        await api.putJson('/api/alerts/rules', JSON.stringify({ rules, builtIn }));
        ctx.log.info(`Alert rules: ${rules.length} of yours; built-in ${Object.entries({ 'route-error-rate-jump': true, 'route-p99-doubled': true, ...builtIn }).filter(([, on]) => on).map(([n]) => n).join(', ') || 'none'}.`);
      } else {
        const names = config().get<unknown[]>(Setting.signalMetrics, []) ?? [];
        await api.putJson('/api/signals/metric-names', JSON.stringify(names));
      }
    } catch (err) {
      const setting = what === 'rules' ? Setting.alerts : Setting.signalMetrics;
      const message = (err as Error).message;
      ctx.log.warn(`loupe.${setting}: ${message}`);
      const choice = await vscode.window.showWarningMessage(`Loupe cannot use loupe.${setting}: ${message}`, 'Open Settings');
      if (choice) void openSettings(setting);
    }
  };
  const states = onEachEngine(ctx, () => {
    void send('rules');
    void send('names');
  });
  const settings = vscode.workspace.onDidChangeConfiguration((e) => {
    if (affects(e, Setting.alerts, Setting.builtInAlerts)) void send('rules');
    if (affects(e, Setting.signalMetrics)) void send('names');
  });
  return vscode.Disposable.from({ dispose: states }, settings);
}
