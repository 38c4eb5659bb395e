// The buffer of a store's last evicted chunk, kept for its next chunk (spans and logs):
// the memory is reused at once instead of waiting for a full collection to free it while
// a new chunk's buffer is allocated.

export class SpareChunkBuffer {
  private bytes: Buffer | undefined;
  private evicting = false;

  /** `size`: the store's usual chunk size; buffers of other sizes (one oversized item) are not kept. */
  constructor(readonly size: number) {}

  /**
   * The spare's room. Once the store has evicted, it counts against the budget even while
   * the spare is empty, as long as there is a chunk to evict besides the one being filled:
   * at the budget a new chunk is then paid for by evicting the oldest, whose buffer the
   * next chunk takes. (Counted only while it held a buffer, a new chunk's room came on top:
   * the first eviction only moved a buffer into the spare, the second dropped it, and every
   * other chunk was allocated anew while the old one waited for the collector.) Until the
   * store evicts, no spare is held and none is counted.
   */
  memoryBytes(chunksHeld: number): number {
    return (this.evicting && chunksHeld > 1) || this.bytes ? this.size : 0;
  }

  /** A buffer for a new chunk: the spare when it is of `size` bytes, else a fresh one. */
  take(size: number): Buffer {
    const spare = this.bytes;
    this.bytes = undefined;
    return spare && spare.length === size ? spare : Buffer.allocUnsafeSlow(size);
  }

  /** A chunk was evicted: keeps its buffer for the next chunk, unless undefined (still read). Nothing may read a kept buffer. */
  evicted(bytes: Buffer | undefined): void {
    this.evicting = true;
    if (bytes?.length === this.size) this.bytes = bytes;
  }

  clear(): void {
    this.bytes = undefined;
    this.evicting = false;
  }
}
