// Recent exceptions (`GET /api/exceptions`): span events named "exception", grouped by
// type and message, newest first, with their newest occurrence.

import type { ExceptionGroup } from '../../protocol/insights.ts';
import { plainAttributes } from '../../shared/plainValue.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { limit, optionalString } from './params.ts';
import { forEachSpanContaining } from './spanScan.ts';

/** Bounds the work of one request on a store full of failing spans. */
const MAX_SPANS_SCANNED = 20_000;

export function listExceptions(store: TraceStore, q: URLSearchParams): ExceptionGroup[] {
  const service = optionalString(q, 'service');
  const max = limit(q, 100, 1000);
  const groups = new Map<string, ExceptionGroup>();
  forEachSpanContaining(store, 'exception', MAX_SPANS_SCANNED, ({ span, chunk, index }) => {
    const spanService = store.services.values[store.groups[chunk.group[index]].serviceId];
    if (service !== undefined && spanService !== service) return;
    for (const event of span.events ?? []) {
      if (event.name !== 'exception') continue;
      const attributes = plainAttributes(event.attributes);
      const type = String(attributes['exception.type'] ?? '');
      const message = String(attributes['exception.message'] ?? '');
      const key = `${type}\u0000${message}`;
      const time = event.timeUnixNano ?? span.startTimeUnixNano ?? '0';
      const latest = () => ({
        traceId: span.traceId ?? '',
        spanId: span.spanId ?? '',
        service: spanService,
        spanName: span.name ?? '',
        attributes,
        spanAttributes: plainAttributes(span.attributes),
      });
      const group = groups.get(key);
      if (!group) {
        if (groups.size < max) groups.set(key, { type, message, count: 1, lastSeen: time, services: [spanService], latest: latest() });
        continue;
      }
      group.count++;
      if (!group.services.includes(spanService)) group.services.push(spanService);
      // Chunks are scanned newest first, but the spans within a trace are not ordered.
      if (BigInt(time) > BigInt(group.lastSeen)) {
        group.lastSeen = time;
        group.latest = latest();
      }
    }
  });
  const newestFirst = (a: ExceptionGroup, b: ExceptionGroup) => {
    const d = BigInt(b.lastSeen) - BigInt(a.lastSeen);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  };
  return [...groups.values()].sort(newestFirst);
}
