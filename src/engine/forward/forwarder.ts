// Forwarding: every request the receivers accept is also sent, unchanged, to the
// team's OTLP endpoint. Ingest only queues the request's bytes; sending happens later
// and concurrently, so a slow or dead upstream never slows ingest, and the queue's
// byte bound caps what it can cost in memory.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { ForwardStatus } from '../../protocol/forward.ts';
import type { Encoding, Signal } from '../ingest/ingest.ts';
import type { ForwardOptions } from './forwardOptions.ts';
import { ForwardQueue, type QueuedRequest } from './forwardQueue.ts';
import { GrpcUpstream } from './grpcUpstream.ts';
import { HttpUpstream } from './httpUpstream.ts';
import type { SendOutcome, Upstream } from './upstream.ts';

const MAX_IN_FLIGHT = 4;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
// A Retry-After past this is taken as this: the queue keeps filling meanwhile.
const MAX_RETRY_AFTER_MS = 5 * 60_000;

type Outcome = 'forwarded' | 'retried' | 'dropped' | 'rejected';

export class Forwarder {
  private options: ForwardOptions | undefined;
  private upstream: Upstream | undefined;
  private readonly queue = new ForwardQueue(0);
  private inFlight = 0;
  private inFlightItems = 0;
  private failuresInARow = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private readonly totals: ForwardStatus['items'] = { forwarded: 0, retried: 0, dropped: 0, rejectedUpstream: 0 };
  private lastError: ForwardStatus['lastError'];
  private lastSuccessAt: string | undefined;
  private readonly counter: Counter<'signal' | 'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.counter = new Counter({
      name: 'loupe_forward_items_total',
      help: 'Items sent on to the upstream OTLP endpoint, by signal and outcome (forwarded, retried, dropped, rejected by the upstream).',
      labelNames: ['signal', 'outcome'], registers,
    });
    const queue = this.queue;
    new Gauge({ name: 'loupe_forward_queue_bytes', help: 'Bytes of requests waiting for, or in flight to, the upstream.', registers, collect() { this.set(queue.bytes); } });
    new Gauge({ name: 'loupe_forward_queue_requests', help: 'Requests waiting to be sent to the upstream.', registers, collect() { this.set(queue.length); } });
  }

  get enabled(): boolean {
    return this.options !== undefined;
  }

  /** Bytes held for forwarding; they count in the engine's memory budget. */
  get memoryBytes(): number {
    return this.queue.bytes;
  }

  /** Starts, changes or (with undefined) stops forwarding. Waiting requests go to the new upstream. */
  configure(options: ForwardOptions | undefined): void {
    this.upstream?.close();
    this.options = options;
    this.upstream = options ? (options.protocol === 'grpc' ? new GrpcUpstream(options) : new HttpUpstream(options)) : undefined;
    this.failuresInARow = 0;
    this.cancelRetry();
    if (!options) {
      for (const r of this.queue.drain()) this.count(r, 'dropped');
      return;
    }
    this.queue.maxBytes = options.queueBytes;
    this.pump();
  }

  /** Called by ingest with each accepted request's (decompressed) bytes; never waits. */
  offer(signal: Signal, body: Buffer, encoding: Encoding, items: number): void {
    if (!this.options || body.length === 0) return;
    for (const r of this.queue.push({ signal, body, encoding, items, attempts: 0 })) {
      this.count(r, 'dropped');
      this.noteError(`the forwarding queue is full (${Math.round(this.queue.maxBytes / 1048576)} MiB): the oldest waiting requests were dropped`);
    }
    this.pump();
  }

  status(): ForwardStatus {
    const o = this.options;
    const state: ForwardStatus['state'] = !o ? 'off' : this.retryTimer ? 'backing-off' : this.inFlight || this.queue.length ? 'sending' : 'idle';
    return {
      endpoint: o?.endpoint ?? '',
      protocol: o?.protocol ?? 'http',
      gzip: o?.gzip ?? false,
      headerNames: Object.keys(o?.headers ?? {}),
      state,
      queue: { requests: this.queue.length + this.inFlight, items: this.queue.items + this.inFlightItems, bytes: this.queue.bytes, maxBytes: this.queue.maxBytes },
      items: { ...this.totals },
      ...(this.retryTimer ? { retryAt: new Date(this.retryAt).toISOString() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt } : {}),
    };
  }

  close(): void {
    this.cancelRetry();
    this.upstream?.close();
    this.upstream = undefined;
    this.options = undefined;
  }

  private pump(): void {
    while (this.upstream && !this.retryTimer && this.inFlight < MAX_IN_FLIGHT) {
      const request = this.queue.take();
      if (!request) return;
      this.inFlight++;
      this.inFlightItems += request.items;
      const upstream = this.upstream;
      void upstream.send(request.signal, request.body, request.encoding)
        .catch((err: unknown): SendOutcome => ({ kind: 'retry', error: (err as Error).message }))
        .then((outcome) => {
          this.inFlight--;
          this.inFlightItems -= request.items;
          // Reconfigured meanwhile: the request goes to the new upstream.
          if (upstream === this.upstream) this.settle(request, outcome);
          else if (this.upstream) this.queue.putBack(request);
          else {
            this.queue.settle(request);
            this.count(request, 'dropped');
          }
          this.pump();
        });
    }
  }

  private settle(request: QueuedRequest, outcome: SendOutcome): void {
    switch (outcome.kind) {
      case 'ok':
        this.queue.settle(request);
        this.failuresInARow = 0;
        this.lastSuccessAt = new Date().toISOString();
        this.count(request, 'forwarded');
        if (outcome.rejected > 0) {
          this.count(request, 'rejected', Math.min(outcome.rejected, request.items));
          this.noteError(`the upstream refused ${outcome.rejected} of ${request.items} ${request.signal} items${outcome.message ? `: ${outcome.message}` : ''}`);
        }
        return;
      case 'fail':
        this.queue.settle(request);
        this.count(request, 'dropped');
        this.noteError(outcome.error);
        return;
      case 'retry':
        request.attempts++;
        this.count(request, 'retried');
        this.queue.putBack(request);
        this.noteError(outcome.error);
        this.backOff(outcome.afterMs);
    }
  }

  /** Stops sending until a retry is due: exponential with jitter, or what the upstream asked for. */
  private backOff(afterMs: number | undefined): void {
    if (this.retryTimer) return;
    this.failuresInARow++;
    const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failuresInARow - 1));
    // Half fixed, half random: clients that failed together don't come back together.
    const delay = afterMs !== undefined ? Math.min(afterMs, MAX_RETRY_AFTER_MS) : ceiling / 2 + Math.random() * ceiling / 2;
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
    this.retryTimer.unref();
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private count(request: QueuedRequest, outcome: Outcome, items = request.items): void {
    this.totals[outcome === 'rejected' ? 'rejectedUpstream' : outcome] += items;
    this.counter.inc({ signal: request.signal, outcome }, items);
  }

  private noteError(message: string): void {
    this.lastError = { message, at: new Date().toISOString() };
  }
}
