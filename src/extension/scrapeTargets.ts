// `loupe.scrapeTargets` reaches the engine: sent whenever the collector comes up and when
// the setting changes. The engine is shared by every window, so a window with no targets
// of its own leaves the others' alone unless its user just emptied the setting.

import * as vscode from 'vscode';
import type { LoupeContext } from './context.ts';
import { SETTINGS_SECTION, Setting } from './ids.ts';
import { affects, openSettings } from './settings.ts';
import { onEachEngine } from './engine/onEachEngine.ts';

export function registerScrapeTargets(ctx: LoupeContext): vscode.Disposable {
  const send = async (evenIfEmpty: boolean) => {
    const api = ctx.api;
    if (!api) return;
    const targets = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown[]>(Setting.scrapeTargets, []) ?? [];
    const urls = targets.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
    if (!urls.length && !evenIfEmpty) return;
    try {
      await api.putJson('/api/metrics/targets', JSON.stringify(urls));
      ctx.log.info(urls.length ? `Scraping ${urls.length} Prometheus target(s): ${urls.join(', ')}` : 'No Prometheus targets to scrape.');
    } catch (err) {
      const message = (err as Error).message;
      ctx.log.warn(`loupe.scrapeTargets: ${message}`);
      const choice = await vscode.window.showWarningMessage(`Loupe cannot scrape these targets: ${message}`, 'Open Settings');
      if (choice) void openSettings(Setting.scrapeTargets);
    }
  };
  const states = onEachEngine(ctx, () => void send(false));
  const settings = vscode.workspace.onDidChangeConfiguration((e) => {
    if (affects(e, Setting.scrapeTargets)) void send(true);
  });
  return vscode.Disposable.from({ dispose: states }, settings);
}
