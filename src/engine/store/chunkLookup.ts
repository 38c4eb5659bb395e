// Chunks hold consecutive store ids from their `firstId`: the one that may hold an id is
// found by binary search (both the span and the log store number their items this way).

export function chunkHolding<C extends { readonly firstId: number }>(chunks: readonly C[], id: number): C | undefined {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (chunks[mid].firstId <= id) lo = mid;
    else hi = mid - 1;
  }
  return chunks[lo];
}
