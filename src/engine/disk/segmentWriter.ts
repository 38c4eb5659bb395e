// Appends records to one open segment file without holding up ingest: each record's
// header and the request's own bytes (never copied) wait in a list, written by one
// gathering asynchronous write a few times a second, and synced to the device about
// once a second. A crash loses at most what was pending or unsynced; what was synced
// before is never rewritten.

import { close, fsync, openSync, writev } from 'node:fs';
import type { Signal } from '../ingest/ingest.ts';
import { HEADER_BYTES, recordHeader, type RecordEncoding } from './record.ts';

const WRITE_EVERY_MS = 200;
export const SYNC_EVERY_MS = 1000;
/** Buffers per gathering write: under every system's IOV_MAX (1024 on Linux). */
const BUFFERS_PER_WRITE = 512;

export class SegmentWriter {
  private readonly fd: number;
  /** Headers and bodies, in file order. A body is the request's bytes: stores keep slices of it and nothing writes to it. */
  private pending: Buffer[] = [];
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
    this.pending.push(recordHeader(signal, encoding, seq, receivedAt, body));
    if (body.length) this.pending.push(body);
    if (this.pendingFrom === Infinity) this.pendingFrom = seq;
    this.bytes += HEADER_BYTES + body.length;
  }

  /** Writes what is pending; syncs when the last sync is a second old (or `sync`). */
  flush(sync = false): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.failed) return;
      const out = this.pending;
      this.pending = [];
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
    this.pending = [];
    this.pendingFrom = Infinity;
    return this.writing.then(() => new Promise<void>((resolve) => close(this.fd, () => resolve())));
  }
}

/** Writes `buffers` in order at the file's end, however the system splits the writes. */
async function writeAll(fd: number, buffers: Buffer[]): Promise<void> {
  let first = 0;
  while (first < buffers.length) {
    const batch = buffers.slice(first, first + BUFFERS_PER_WRITE);
    let left = batch.reduce((n, b) => n + b.length, 0);
    while (left > 0) {
      let written = await new Promise<number>((resolve, reject) => writev(fd, batch, (err, n) => (err ? reject(err) : resolve(n))));
      if (written <= 0) throw new Error(`writing ${left} bytes to the segment wrote none`);
      left -= written;
      // A short write: what it took comes off the front of the batch.
      while (written > 0) {
        if (written >= batch[0].length) written -= batch.shift()!.length;
        else {
          batch[0] = batch[0].subarray(written);
          written = 0;
        }
      }
    }
    first += BUFFERS_PER_WRITE;
  }
}
