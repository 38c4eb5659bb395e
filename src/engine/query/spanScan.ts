// Finds stored spans whose bytes contain a word, newest first, and decodes only those:
// the attribute keys the editor queries (`exception`, `code.function`) are rare enough
// that a byte search skips almost every span.

import type { Span } from '../../protocol/otlp.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import { BytePattern, spansContaining, storedByteFrequencies } from '../store/byteSearch.ts';
import type { SpanChunk } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';

export interface FoundSpan {
  span: Span;
  chunk: SpanChunk;
  index: number;
}

/** Visits live spans containing `word`, newest chunk first, up to `max`; `visit` returns false to stop. */
export function forEachSpanContaining(store: TraceStore, word: string, max: number, visit: (found: FoundSpan) => boolean | void): void {
  const pattern = new BytePattern(Buffer.from(word), storedByteFrequencies(store));
  let visited = 0;
  for (let c = store.chunks.length - 1; c >= 0; c--) {
    const chunk = store.chunks[c];
    const hits = spansContaining(chunk, pattern);
    for (let h = hits.length - 1; h >= 0; h--) {
      const index = hits[h];
      if (chunk.traces[index].evicted) continue;
      const span = decodeSpan(chunk.bytes, chunk.spanStart(index), chunk.ends[index]);
      if (visit({ span, chunk, index }) === false || ++visited >= max) return;
    }
  }
}
