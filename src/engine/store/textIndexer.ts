// Builds the text filters of sealed chunks (textIndex.ts) in short slices while ingest
// is quiet, newest chunk first: indexing never competes with a burst of incoming data,
// and a query that arrives meanwhile waits at most one slice (≤ 5 ms: 4 ms and the
// 64 KiB block under way, a fraction of a millisecond) before it is answered.

import { blockCount, indexBlock, TRIGRAMS, type GramFilter, type TextChunk } from './textIndex.ts';

const QUIET_MS = 100;
const SLICE_MS = 4;

export class TextIndexer {
  private lastBusy = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `store`: span or log chunks, oldest first; the last one is still being written. */
  constructor(private readonly store: { readonly chunks: readonly TextChunk[] }, private readonly kind: GramFilter = TRIGRAMS) {}

  /** Ingest just ran: wait for quiet, then index what it added. */
  busy(): void {
    this.lastBusy = Date.now();
    this.schedule(QUIET_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Indexes everything now (tests and the benchmark, which wait for it). */
  runToEnd(): void {
    while (this.slice(Infinity));
  }

  private schedule(ms: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    const quietFor = Date.now() - this.lastBusy;
    if (quietFor < QUIET_MS) return this.schedule(QUIET_MS - quietFor);
    if (this.slice(SLICE_MS)) this.schedule(0);
  }

  /** Indexes blocks for up to `ms`; returns whether any remain. */
  private slice(ms: number): boolean {
    const deadline = performance.now() + ms;
    const chunks = this.store.chunks;
    // The newest chunk is still being written: it is left to the byte search.
    for (let c = chunks.length - 2; c >= 0; c--) {
      const chunk = chunks[c];
      const blocks = blockCount(chunk);
      if (chunk.textIndexedBlocks >= blocks) continue;
      chunk.textFilters ??= new Uint32Array(blocks * this.kind.words);
      while (chunk.textIndexedBlocks < blocks) {
        indexBlock(chunk, chunk.textIndexedBlocks++, this.kind);
        if (performance.now() > deadline) return true;
      }
    }
    return false;
  }
}
