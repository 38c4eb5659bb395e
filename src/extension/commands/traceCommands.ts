// Loupe: Open Traces, and opening one trace from a tree item, CodeLens or Problems link.

import type { LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';
import { operationFilters } from '../views/servicesTree.ts';

/** Filters (service, operation, q, attr…) come from CodeLens, or a Services tree item's button. */
export const openTraces = (ctx: LoupeContext) => (arg?: unknown) => {
  ctx.requireApi();
  const filters = operationFilters(arg) ?? (isFilters(arg) ? arg : undefined);
  ViewPanel.show(ctx, 'traces', filters ? { filters } : undefined);
};

function isFilters(arg: unknown): arg is Record<string, string> {
  return !!arg && typeof arg === 'object' && Object.values(arg).every((v) => typeof v === 'string');
}

export const openTrace = (ctx: LoupeContext) => (traceId?: string, spanId?: string) => {
  ctx.requireApi();
  if (typeof traceId !== 'string' || !/^[0-9a-f]{32}$/i.test(traceId)) {
    ViewPanel.show(ctx, 'traces');
    return;
  }
  ViewPanel.show(ctx, 'traces', spanId ? { traceId: traceId.toLowerCase(), spanId } : { traceId: traceId.toLowerCase() });
};
