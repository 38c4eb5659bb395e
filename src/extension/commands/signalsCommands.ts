// Loupe: Open Golden Signals (also the status bar's error count), optionally for one
// service or route (from a Services tree item or CodeLens).

import type { LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';

export const openSignals = (ctx: LoupeContext) => (arg?: unknown) => {
  ctx.requireApi();
  const filters: Record<string, string> = {};
  if (arg && typeof arg === 'object') {
    const { service, route } = arg as { service?: unknown; route?: unknown };
    if (typeof service === 'string') filters.service = service;
    if (typeof route === 'string') filters.route = route;
  }
  ViewPanel.show(ctx, 'signals', Object.keys(filters).length ? { filters } : undefined);
};
