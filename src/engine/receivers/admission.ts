// Backpressure: whether the engine can take one more OTLP export now. Ingest runs on
// the one event loop, so the engine falls behind in two ways, and each has a bound:
//
// - Too many bytes at once: request bodies being received, decompressed or stored hold
//   memory the store's budget does not count. Past `maxInFlightBytes` a new export is
//   refused before its body is read (HTTP 429), the way the Collector's admission
//   control bounds request bytes in flight.
// - Too slow: when the event loop is late by more than `maxLagMs`, every request
//   already waits that long before it is read; taking more only makes every answer
//   later, until the SDKs time out and send again what may have been stored. Exports are
//   refused (HTTP 503) until the loop catches up. A late loop counts only while it is
//   also busy (`busyUtilization`): on a loaded machine an idle engine's timers fire
//   late too, because the process waits for a core, and taking work then is harmless.
//
// A refused export stores nothing, so the client's retry never stores anything twice.
// One export is always admitted when nothing else is in flight: a body larger than the
// bound is the body limit's business (413), not backpressure's.

import { performance } from 'node:perf_hooks';

export interface AdmissionLimits {
  /** Bytes of OTLP request bodies admitted and not yet stored, across both transports. */
  maxInFlightBytes: number;
  /** Event-loop delay (ms) past which exports are refused. */
  maxLagMs: number;
  /** Event-loop utilization (0–1, smoothed over about a quarter second) at which a late loop counts as behind. */
  busyUtilization: number;
}

/**
 * The bounds for an engine started as a library (tests, the benchmark's in-process
 * parts): no lag bound, because the event loop is shared with the caller, whose own work
 * would make the engine refuse. The engine program (main.ts) owns its process and sets
 * PROCESS_MAX_LAG_MS.
 */
export const ADMISSION_LIMITS: AdmissionLimits = { maxInFlightBytes: 32 * 1024 * 1024, maxLagMs: Infinity, busyUtilization: 0.9 };

/** Half a second late: a UI query waits that long already, far below an SDK's 10 s timeout. */
export const PROCESS_MAX_LAG_MS = 500;

export type RefusalReason = 'in-flight' | 'lagging';

export interface Refusal {
  reason: RefusalReason;
  /** 429 for too much at once, 503 for an engine that is behind; both are retryable in OTLP. */
  http: 429 | 503;
  retryAfterSeconds: number;
  message: string;
}

/** A reservation of in-flight bytes: grown as the body turns out larger, released once. */
export interface Ticket {
  grow(bytes: number): void;
  release(): void;
}

const TICK_MS = 50;
/** The lag timer stops after this long without an export, and starts again with the next. */
const IDLE_MS = 10_000;

export class Admission {
  inFlightBytes = 0;
  private lastTick = 0;
  private lastLagMs = 0;
  private lastElu = performance.eventLoopUtilization();
  private utilization = 0;
  private lastAdmit = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly limits: AdmissionLimits) {}

  /** The event loop's delay now: the last tick's, or longer if the current turn already overran. */
  get lagMs(): number {
    if (!this.timer) return 0;
    return Math.max(this.lastLagMs, performance.now() - this.lastTick - TICK_MS);
  }

  /**
   * How late this timer fires is the event loop's delay, measured without sampling. It
   * runs only while exports arrive: an engine nobody sends to does no work at all.
   */
  private watchLag(): void {
    this.lastAdmit = performance.now();
    if (this.timer || this.limits.maxLagMs === Infinity) return;
    this.lastTick = this.lastAdmit;
    this.lastLagMs = 0;
    this.utilization = 0;
    this.lastElu = performance.eventLoopUtilization();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lastLagMs = Math.max(0, now - this.lastTick - TICK_MS);
      this.lastTick = now;
      const elu = performance.eventLoopUtilization();
      this.utilization = 0.7 * this.utilization + 0.3 * performance.eventLoopUtilization(elu, this.lastElu).utilization;
      this.lastElu = elu;
      if (now - this.lastAdmit > IDLE_MS && this.inFlightBytes === 0) this.stop();
    }, TICK_MS);
    this.timer.unref();
  }

  /** Reserves `bytes` (the declared body size, 0 when unknown) or says why not. */
  admit(bytes: number): Ticket | Refusal {
    this.watchLag();
    const lag = this.lagMs;
    if (lag > this.limits.maxLagMs && this.utilization >= this.limits.busyUtilization) {
      return {
        reason: 'lagging', http: 503, retryAfterSeconds: spread(Math.min(3, Math.ceil(lag / 1000))),
        message: `Loupe is behind (its event loop is ${Math.round(lag)} ms late, over ${this.limits.maxLagMs} ms): send again after the Retry-After delay`,
      };
    }
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > this.limits.maxInFlightBytes) {
      return {
        reason: 'in-flight', http: 429, retryAfterSeconds: spread(1),
        message: `Loupe is storing ${this.inFlightBytes} bytes of exports already (bound ${this.limits.maxInFlightBytes}): send again after the Retry-After delay`,
      };
    }
    let held = bytes;
    let released = false;
    this.inFlightBytes += bytes;
    return {
      grow: (more) => {
        if (released || more <= 0) return;
        held += more;
        this.inFlightBytes += more;
      },
      release: () => {
        if (released) return;
        released = true;
        this.inFlightBytes -= held;
      },
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * `seconds` plus 0–2 more at random. SDKs wait exactly what they are told, so clients
 * refused together would otherwise all come back in the same second and be refused
 * together again.
 */
function spread(seconds: number): number {
  return seconds + Math.floor(Math.random() * 3);
}

export function isRefusal(x: Ticket | Refusal): x is Refusal {
  return 'reason' in x;
}
