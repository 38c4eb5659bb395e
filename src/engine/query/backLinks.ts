// Back-links (`GET /api/traces/{id}/backlinks`): the spans of other traces whose links
// point into a trace. Links are not indexed; instead the raw span bytes are searched for
// the trace id as it is written on the wire (field tag, length, 16 bytes), so only spans
// that mention the id are decoded. One pass over the store costs about as much as one
// `indexOf` over its bytes: tens of milliseconds for hundreds of megabytes.

import type { BackLink, BackLinksResponse } from '../../protocol/api.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import { BytePattern, spansContaining, storedByteFrequencies } from '../store/byteSearch.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';

export const MAX_BACKLINKS = 200;

/** The trace links are looked for into: its 16 id bytes, and its id in hex. */
export type LinkTarget = Pick<TraceEntry, 'key' | 'traceId'>;

export function findBackLinks(store: TraceStore, target: LinkTarget): BackLinksResponse {
  const backlinks: BackLink[] = [];
  const truncated = collectBackLinks(store, target, backlinks, new Set());
  return { backlinks, truncated };
}

/** `trace_id` is field 1 (length-delimited) of both Span and Span.Link: 0x0a 0x10 + id. */
export function traceIdOnWire(key: string): Buffer {
  return Buffer.concat([Buffer.from([0x0a, 0x10]), Buffer.from(key, 'latin1')]);
}

/**
 * Adds the back-links `store` holds, newest chunk first, to `into`, leaving out those
 * `seen` (by `backLinkKey`) already names. True once `into` holds MAX_BACKLINKS and more
 * were found.
 */
export function collectBackLinks(store: TraceStore, target: LinkTarget, into: BackLink[], seen: Set<string>): boolean {
  const pattern = new BytePattern(traceIdOnWire(target.key), storedByteFrequencies(store));
  for (let c = store.chunks.length - 1; c >= 0; c--) {
    const chunk = store.chunks[c];
    for (const i of spansContaining(chunk, pattern)) {
      // The target's own spans carry its id too; they are not back-links.
      if (chunk.traces[i].key === target.key || chunk.traces[i].evicted) continue;
      const span = decodeSpan(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
      for (const link of span.links ?? []) {
        if (link.traceId !== target.traceId) continue;
        const found: BackLink = {
          traceId: span.traceId ?? '',
          spanId: span.spanId ?? '',
          name: span.name ?? '',
          service: store.services.values[store.groups[chunk.group[i]].serviceId],
          startTimeUnixNano: span.startTimeUnixNano ?? '0',
          linkedSpanId: link.spanId ?? '',
        };
        const key = backLinkKey(found);
        if (seen.has(key)) continue;
        if (into.length === MAX_BACKLINKS) return true;
        seen.add(key);
        into.push(found);
      }
    }
  }
  return false;
}

/** One link of one span: the same span held by both tiers (or received twice) is listed once. */
export function backLinkKey(l: BackLink): string {
  return `${l.traceId}/${l.spanId}/${l.linkedSpanId}`;
}
