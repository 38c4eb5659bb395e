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

const MAX_BACKLINKS = 200;

export function findBackLinks(store: TraceStore, target: TraceEntry): BackLinksResponse {
  // `trace_id` is field 1 (length-delimited) of both Span and Span.Link: 0x0a 0x10 + id.
  const pattern = new BytePattern(Buffer.concat([Buffer.from([0x0a, 0x10]), Buffer.from(target.key, 'latin1')]), storedByteFrequencies(store));
  const backlinks: BackLink[] = [];
  for (let c = store.chunks.length - 1; c >= 0; c--) {
    const chunk = store.chunks[c];
    for (const i of spansContaining(chunk, pattern)) {
      // The target's own spans carry its id too; they are not back-links.
      if (chunk.traces[i] !== target && !chunk.traces[i].evicted) {
        const span = decodeSpan(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
        for (const link of span.links ?? []) {
          if (link.traceId !== target.traceId) continue;
          if (backlinks.length === MAX_BACKLINKS) return { backlinks, truncated: true };
          backlinks.push({
            traceId: span.traceId ?? '',
            spanId: span.spanId ?? '',
            name: span.name ?? '',
            service: store.services.values[store.groups[chunk.group[i]].serviceId],
            startTimeUnixNano: span.startTimeUnixNano ?? '0',
            linkedSpanId: link.spanId ?? '',
          });
        }
      }
    }
  }
  return { backlinks, truncated: false };
}
