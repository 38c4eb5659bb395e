// A large .cpuprofile's two number arrays ("samples", "timeDeltas": three fifths of the
// bytes) read on a second thread while the decoder thread parses and indexes the nodes:
// the two take about as long, so the first flame graph comes sooner by the shorter of
// them. The decoder thread cannot wait for a message the usual way (its decode is one
// synchronous run), so the scan thread answers on a port the decoder reads with
// `receiveMessageOnPort` and wakes it through a shared flag.

import { MessageChannel, parentPort, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { waitForBytes } from './bodyArrival.ts';
import { readNumbers, type ArraySpan } from './jsonNumberArrays.ts';
import { startThread, type ThreadScript } from './threadScript.ts';

type ScanJob = {
  job: number;
  /** The bytes from the first span's `[` to the last one's `]`, copied and handed over; or all of them, shared. */
  region: Uint8Array;
  /** `[` of each array, counted from the region's start. */
  spans: { key: string; open: number }[];
} | {
  job: number;
  /** An upload's bytes in shared memory, still arriving (bodyArrival.ts). */
  region: Uint8Array;
  arrival: Int32Array;
  /** The arrays to find as the bytes come, as `locateNumberArrays` finds them. */
  keys: string[];
};

type ScanReply = { job: number; arrays: [string, Float64Array][]; spans?: ArraySpan[] } | { job: number; failed: true };

/** How long the decoder waits for the scan before it reads the arrays itself. */
const WAIT_MS = 60_000;

const COLON = 0x3a, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;

/** The scan thread's side: each job's arrays read and handed back, or word that one is not all numbers. */
export function serveScans(replies: MessagePort, wake: Int32Array): void {
  parentPort!.on('message', (request: ScanJob) => {
    const { job, region } = request;
    let reply: ScanReply;
    try {
      const arrays: [string, Float64Array][] = [];
      const read = ({ key, open }: { key: string; open: number }): void => {
        const got = readNumbers(region, open + 1);
        if (!got) throw new Error(`${key} is not all numbers`);
        arrays.push([key, got.values]);
      };
      if ('spans' in request) {
        request.spans.forEach(read);
        reply = { job, arrays };
      } else {
        const spans: ArraySpan[] = [];
        findArriving(region, waitForBytes(request.arrival), request.keys, (span) => {
          spans.push(span);
          read(span);
        });
        reply = { job, arrays, spans: spans.sort((a, b) => a.open - b.open) };
      }
    } catch {
      reply = { job, failed: true };
    }
    replies.postMessage(reply, 'arrays' in reply ? reply.arrays.map(([, a]) => a.buffer as ArrayBuffer) : []);
    Atomics.store(wake, 0, 1);
    Atomics.notify(wake, 0);
  });
}

/**
 * `keys`' arrays in bytes still arriving, each found as `locateNumberArrays` finds it
 * (the first `"key":[`, searched as the bytes come) and given to `found` as soon as its
 * `]` is in, so that reading it overlaps the rest of the upload.
 */
function findArriving(bytes: Uint8Array, wait: (upTo: number) => number, keys: readonly string[], found: (span: ArraySpan) => void): void {
  const n = bytes.length;
  const step = 1 << 20;
  let have = Math.min(n, wait(step));
  // Searches only what has arrived: the rest is zeros, and searching it each time would be quadratic.
  const arrivedBuf = () => Buffer.from(bytes.buffer, bytes.byteOffset, have);
  const more = (): boolean => {
    if (have >= n) return false;
    have = Math.min(n, wait(have + step));
    return true;
  };
  for (const key of keys) {
    const quoted = `"${key}"`;
    let from = 0;
    for (;;) {
      const at = arrivedBuf().indexOf(quoted, from);
      // Not found yet, or too near the end of what is in to read its colon and bracket.
      if ((at < 0 || at + quoted.length + 64 > have) && have < n) {
        from = Math.max(from, (at < 0 ? have : at) - quoted.length);
        more();
        continue;
      }
      if (at < 0) break;
      let i = at + quoted.length;
      while (isSpace(bytes[i])) i++;
      if (bytes[i] !== COLON) {
        from = at + 1;
        continue;
      }
      i++;
      while (isSpace(bytes[i])) i++;
      if (bytes[i] !== OPEN_ARRAY) break;
      let close = arrivedBuf().indexOf(CLOSE_ARRAY, i);
      while (close < 0 && more()) close = arrivedBuf().indexOf(CLOSE_ARRAY, i);
      if (close >= 0) found({ key, open: i, end: close + 1 });
      break;
    }
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** The decoder thread's side: one scan thread, started on the first large profile and kept. */
export class NumberScanThread {
  private thread: { worker: Worker; replies: MessagePort; wake: Int32Array } | undefined;
  private nextJob = 1;

  constructor(private readonly script: ThreadScript) {}

  /**
   * Starts finding and reading the arrays `keys` names in an upload still arriving in
   * shared memory (`arrival`: bodyArrival.ts), each as soon as it is all in; the function
   * returned waits for them and where they are (undefined as for `start`).
   */
  startArriving(bytes: Uint8Array, arrival: Int32Array, keys: string[]): () => { spans: ArraySpan[]; arrays: Map<string, Float64Array> } | undefined {
    const job = this.post({ job: this.nextJob++, region: bytes, arrival, keys }, []);
    return () => {
      const got = this.reply(job);
      return got && { spans: got.spans!, arrays: new Map(got.arrays) };
    };
  }

  /**
   * Starts reading `spans` of `bytes` on the scan thread; the function returned waits for
   * the arrays (undefined if one was not all numbers, or the thread did not answer).
   */
  start(bytes: Uint8Array, spans: readonly ArraySpan[]): () => Map<string, Float64Array> | undefined {
    const job = this.nextJob++;
    // An upload in shared memory is read where it is; other bytes are copied over.
    const shared = bytes.buffer instanceof SharedArrayBuffer;
    const from = shared ? 0 : spans[0].open;
    const region = shared ? bytes : bytes.slice(from, spans[spans.length - 1].end);
    this.post({ job, region, spans: spans.map((s) => ({ key: s.key, open: s.open - from })) }, shared ? [] : [region.buffer as ArrayBuffer]);
    return () => {
      const got = this.reply(job);
      return got && new Map(got.arrays);
    };
  }

  private post(request: ScanJob, transfer: ArrayBuffer[]): number {
    const { worker, wake } = this.started();
    Atomics.store(wake, 0, 0);
    worker.postMessage(request, transfer);
    return request.job;
  }

  /** Waits for `job`'s answer (undefined: an array was not all numbers, or no answer came). */
  private reply(job: number): { arrays: [string, Float64Array][]; spans?: ArraySpan[] } | undefined {
    const { replies, wake } = this.started();
    const until = Date.now() + WAIT_MS;
    for (;;) {
      const got = receiveMessageOnPort(replies)?.message as ScanReply | undefined;
      if (got?.job === job) return 'arrays' in got ? got : undefined;
      if (got) continue; // an earlier job's, given up on
      const left = until - Date.now();
      if (left <= 0) return undefined;
      Atomics.wait(wake, 0, 0, Math.min(left, 1000));
      Atomics.store(wake, 0, 0);
    }
  }

  /** Starts the scan thread now, so that it is ready when the first large profile comes. */
  prepared(): this {
    this.started();
    return this;
  }

  /** Ends the scan thread (tests; the engine's is unreferenced and ends with the decoder's). */
  stop(): Promise<number> | undefined {
    const worker = this.thread?.worker;
    this.thread = undefined;
    return worker?.terminate();
  }

  private started(): { worker: Worker; replies: MessagePort; wake: Int32Array } {
    if (this.thread) return this.thread;
    const { port1, port2 } = new MessageChannel();
    const wake = new Int32Array(new SharedArrayBuffer(4));
    const worker = startThread(this.script, { role: 'scan', replies: port2, wake }, [port2]);
    worker.unref();
    worker.on('exit', () => { if (this.thread?.worker === worker) this.thread = undefined; });
    this.thread = { worker, replies: port1, wake };
    return this.thread;
  }
}
