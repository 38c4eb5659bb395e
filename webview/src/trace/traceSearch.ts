// Search within a trace: a span matches when its name or service contains the text (any
// case) or its span id is the text — looked up here, in the columns — or when its status message,
// attributes or events do, which the engine answers (`/api/traces/{id}/search`) since
// the page holds no attributes.

import type { TraceModel } from './traceModel.ts';
import { indexOfSpan } from './traceModel.ts';

/** 1 for each span whose name, service or id contains the text (any case). */
export function searchSpans(model: TraceModel, text: string): Uint8Array {
  const matches = new Uint8Array(model.count);
  const q = text.trim().toLowerCase();
  if (!q) return matches;
  const { strings, name, service } = model.columns;
  // Test each distinct string once: a million spans share a few thousand names.
  const hit = new Uint8Array(strings.size);
  for (let s = 0; s < strings.size; s++) if (strings.get(s).toLowerCase().includes(q)) hit[s] = 1;
  for (let i = 0; i < model.count; i++) if (hit[name[i]] || hit[service[i]]) matches[i] = 1;
  const byId = /^[0-9a-f]{16}$/.test(q) ? indexOfSpan(model, q) : -1;
  if (byId >= 0) matches[byId] = 1;
  return matches;
}

/** Adds the spans the engine found (by id) to `matches`. */
export function addFoundSpans(model: TraceModel, matches: Uint8Array, spanIds: readonly string[]): void {
  for (const id of spanIds) {
    const i = indexOfSpan(model, id);
    if (i >= 0) matches[i] = 1;
  }
}
