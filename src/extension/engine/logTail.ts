// Follows the engine's log file into the editor's log channel. The file is shared by
// every window attached to the engine, and rewritten when an engine starts.

import { closeSync, openSync, readSync, statSync } from 'node:fs';

export class LogTail {
  private offset = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly file: string, private readonly onText: (text: string) => void, intervalMs = 1000, fromStart = false) {
    if (!fromStart) this.offset = sizeOf(file);
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  /** Reads what was written since the last call (also called by the timer). */
  poll(): string {
    const size = sizeOf(this.file);
    if (size < this.offset) this.offset = 0; // a new engine rewrote the file
    if (size === this.offset) return '';
    const length = Math.min(size - this.offset, 1 << 20);
    const buffer = Buffer.alloc(length);
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      const read = readSync(fd, buffer, 0, length, this.offset);
      this.offset += read;
      const text = buffer.subarray(0, read).toString('utf8');
      if (text) this.onText(text);
      return text;
    } catch {
      return '';
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
