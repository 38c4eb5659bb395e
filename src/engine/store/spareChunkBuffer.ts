// The buffer of a store's last evicted chunk, kept for its next chunk (spans and logs):
// the memory is reused at once instead of waiting for a full collection to free it while
// a new chunk's buffer is allocated.

export class SpareChunkBuffer {
  private bytes: Buffer | undefined;

  /** `size`: the store's usual chunk size; buffers of other sizes (one oversized item) are not kept. */
  constructor(readonly size: number) {}

  /**
   * The spare's room, counted against the budget even while it is empty once there is a
   * chunk to evict besides the one being filled: at the budget a new chunk is then paid
   * for by evicting the oldest, whose buffer it takes. (Counted only while it held a
   * buffer, a new chunk's room came on top: the first eviction only moved a buffer into
   * the spare, the second dropped it, and every other chunk was allocated anew while the
   * old one waited for the collector.)
   */
  memoryBytes(chunksHeld: number): number {
    return chunksHeld > 1 || this.bytes ? this.size : 0;
  }

  /** A buffer for a new chunk: the spare when it is of `size` bytes, else a fresh one. */
  take(size: number): Buffer {
    const spare = this.bytes;
    this.bytes = undefined;
    return spare && spare.length === size ? spare : Buffer.allocUnsafeSlow(size);
  }

  /** Keeps an evicted chunk's buffer for the next chunk; nothing may read it after this. */
  keep(bytes: Buffer): void {
    if (bytes.length === this.size) this.bytes = bytes;
  }

  clear(): void {
    this.bytes = undefined;
  }
}
