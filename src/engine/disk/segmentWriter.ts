// Appends records to one open segment file without holding up ingest: records are
// copied into a pending buffer, written by an asynchronous write a few times a second,
// and synced to the device about once a second. A crash loses at most what was pending
// or unsynced; what was synced before is never rewritten.

import { close, fsync, openSync, write } from 'node:fs';
import type { Signal } from '../ingest/ingest.ts';
import { HEADER_BYTES, writeRecord, type RecordEncoding } from './record.ts';

const WRITE_EVERY_MS = 200;
export const SYNC_EVERY_MS = 1000;
const PENDING_START = 256 * 1024;

export class SegmentWriter {
  private readonly fd: number;
  private pending = Buffer.allocUnsafe(PENDING_START);
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private lastSync = Date.now();
  private dirty = false;
  private readonly timer: NodeJS.Timeout;
  /** Bytes handed to this writer (written or pending). */
  bytes: number;
  /** The first seq of the records pending, and of those being written (Infinity: none). */
  private pendingFrom = Infinity;
  private writingFrom = Infinity;
  failed: Error | undefined;

  /** `onError` hears the first write error (a full disk, a removed folder); the writer stops then. */
  constructor(readonly path: string, existingBytes: number, private readonly onError: (err: Error) => void) {
    this.fd = openSync(path, 'a');
    this.bytes = existingBytes;
    this.timer = setInterval(() => void this.flush(), WRITE_EVERY_MS);
    this.timer.unref();
  }

  append(signal: Signal, encoding: RecordEncoding, seq: number, receivedAt: number, body: Buffer): void {
    if (this.failed) return;
    const need = this.pendingBytes + HEADER_BYTES + body.length;
    if (need > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.pending.length * 2));
      this.pending.copy(grown, 0, 0, this.pendingBytes);
      this.pending = grown;
    }
    this.pendingBytes = writeRecord(this.pending, this.pendingBytes, signal, encoding, seq, receivedAt, body);
    if (this.pendingFrom === Infinity) this.pendingFrom = seq;
    this.bytes += HEADER_BYTES + body.length;
  }

  /** Writes what is pending; syncs when the last sync is a second old (or `sync`). */
  flush(sync = false): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.failed) return;
      const out = this.pending.subarray(0, this.pendingBytes);
      // A fresh pending buffer: `out` stays untouched while the write runs.
      this.pending = Buffer.allocUnsafe(Math.max(PENDING_START, Math.min(this.pending.length, 8 * 1024 * 1024)));
      this.pendingBytes = 0;
      this.writingFrom = this.pendingFrom;
      this.pendingFrom = Infinity;
      try {
        if (out.length) {
          await writeAll(this.fd, out);
          this.dirty = true;
        }
        this.writingFrom = Infinity;
        if (this.dirty && (sync || Date.now() - this.lastSync >= SYNC_EVERY_MS)) {
          await new Promise<void>((resolve, reject) => fsync(this.fd, (err) => (err ? reject(err) : resolve())));
          this.lastSync = Date.now();
          this.dirty = false;
        }
      } catch (err) {
        this.failed = err as Error;
        clearInterval(this.timer);
        this.onError(err as Error);
      }
    });
    return this.writing;
  }

  /**
   * The oldest record appended but not yet in the file (Infinity: none): a reader of the
   * file sees every record before it. Records appended in one segment have rising seqs.
   */
  get unwrittenFrom(): number {
    return this.failed ? Infinity : Math.min(this.pendingFrom, this.writingFrom);
  }

  /** Writes and syncs everything, then closes the file. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(true);
    await new Promise<void>((resolve) => close(this.fd, () => resolve()));
  }

  /** Closes without writing what is pending (the tier was cleared). */
  discard(): Promise<void> {
    clearInterval(this.timer);
    this.pendingBytes = 0;
    this.pendingFrom = Infinity;
    return this.writing.then(() => new Promise<void>((resolve) => close(this.fd, () => resolve())));
  }
}

async function writeAll(fd: number, buf: Buffer): Promise<void> {
  let at = 0;
  while (at < buf.length) {
    at += await new Promise<number>((resolve, reject) => write(fd, buf, at, buf.length - at, null, (err, n) => (err ? reject(err) : resolve(n))));
  }
}
