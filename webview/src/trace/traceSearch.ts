// Search within a trace: a span matches when its name, service, status message, span
// id, attribute keys or values, or its events' names or attributes contain the text (any
// case).

import type { KeyValue } from '../../../src/protocol/otlp.ts';
import { plainValue } from '../../../src/shared/plainValue.ts';
import { valueText } from '../ui/inertText.ts';
import type { TraceModel } from './traceModel.ts';

/** Indexes of matching spans, in tree (row) order is up to the caller. */
export function searchSpans(model: TraceModel, text: string): Uint8Array {
  const matches = new Uint8Array(model.nodes.length);
  const q = text.trim().toLowerCase();
  if (!q) return matches;
  for (const n of model.nodes) {
    if (n.name.toLowerCase().includes(q) || n.service.toLowerCase().includes(q) || n.spanId === q ||
        (n.span.status?.message ?? '').toLowerCase().includes(q) || attributesContain(n.span.attributes, q) ||
        (n.span.events ?? []).some((e) => (e.name ?? '').toLowerCase().includes(q) || attributesContain(e.attributes, q))) {
      matches[n.index] = 1;
    }
  }
  return matches;
}

function attributesContain(kvs: KeyValue[] | undefined, q: string): boolean {
  if (!kvs) return false;
  for (const kv of kvs) {
    if (kv.key.toLowerCase().includes(q)) return true;
    if (valueText(plainValue(kv.value)).toLowerCase().includes(q)) return true;
  }
  return false;
}
