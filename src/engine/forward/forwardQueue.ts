// The requests waiting to go upstream, bounded in bytes. When a new request would not
// fit, the oldest waiting ones are dropped: what a developer looks at is what just
// happened, and a team backend that was down gets the latest data when it returns.

import type { Encoding, Signal } from '../ingest/ingest.ts';

export interface QueuedRequest {
  signal: Signal;
  body: Buffer;
  encoding: Encoding;
  /** Spans, log records, metric points or profiles in it (as counted by ingest). */
  items: number;
  attempts: number;
}

export class ForwardQueue {
  private readonly waiting: QueuedRequest[] = [];
  private head = 0;
  /** Bytes of waiting requests plus those in flight: all of them are still held. */
  bytes = 0;

  constructor(public maxBytes: number) {}

  get length(): number {
    return this.waiting.length - this.head;
  }

  get items(): number {
    let n = 0;
    for (let i = this.head; i < this.waiting.length; i++) n += this.waiting[i].items;
    return n;
  }

  /** Adds `request`; returns the requests dropped to make room (possibly `request` itself). */
  push(request: QueuedRequest): QueuedRequest[] {
    const dropped: QueuedRequest[] = [];
    if (request.body.length > this.maxBytes) return [request];
    while (this.bytes + request.body.length > this.maxBytes && this.length > 0) {
      const oldest = this.shift()!;
      this.bytes -= oldest.body.length;
      dropped.push(oldest);
    }
    // In-flight requests may still fill the bound: then the new one cannot wait.
    if (this.bytes + request.body.length > this.maxBytes) return [...dropped, request];
    this.waiting.push(request);
    this.bytes += request.body.length;
    return dropped;
  }

  /** Takes the oldest waiting request out; its bytes stay counted until `settle`. */
  take(): QueuedRequest | undefined {
    return this.shift();
  }

  /** A request taken out was sent for good (or given up): its bytes are free. */
  settle(request: QueuedRequest): void {
    this.bytes -= request.body.length;
  }

  /** A request taken out goes back to the front, to be sent again first. */
  putBack(request: QueuedRequest): void {
    if (this.head > 0) this.waiting[--this.head] = request;
    else this.waiting.unshift(request);
  }

  /** Empties the queue; returns what was waiting. */
  drain(): QueuedRequest[] {
    const all = this.waiting.slice(this.head);
    for (const r of all) this.bytes -= r.body.length;
    this.waiting.length = 0;
    this.head = 0;
    return all;
  }

  private shift(): QueuedRequest | undefined {
    if (this.head >= this.waiting.length) return undefined;
    const r = this.waiting[this.head];
    this.waiting[this.head++] = undefined as unknown as QueuedRequest;
    // Compact now and then so the array does not grow with everything ever queued.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    return r;
  }
}
