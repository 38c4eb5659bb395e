// Loupe: Open Logs, optionally with filters (service, minSeverity, q, traceId…) from a caller.

import type { LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';

export const openLogs = (ctx: LoupeContext) => (filters?: unknown) => {
  ctx.requireApi();
  const valid = !!filters && typeof filters === 'object' && Object.values(filters).every((v) => typeof v === 'string');
  ViewPanel.show(ctx, 'logs', valid ? { filters: filters as Record<string, string> } : undefined);
};
