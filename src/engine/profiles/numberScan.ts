// A large .cpuprofile's two number arrays ("samples", "timeDeltas": three fifths of the
// bytes) read on a second thread while the decoder thread parses and indexes the nodes:
// the two take about as long, so the first flame graph comes sooner by the shorter of
// them. The decoder thread cannot wait for a message the usual way (its decode is one
// synchronous run), so the scan thread answers on a port the decoder reads with
// `receiveMessageOnPort` and wakes it through a shared flag.

import { MessageChannel, parentPort, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { readNumbers, type ArraySpan } from './jsonNumberArrays.ts';
import { startThread, type ThreadScript } from './threadScript.ts';

interface ScanJob {
  job: number;
  /** The bytes from the first span's `[` to the last one's `]`, copied and handed over; or all of them, shared. */
  region: Uint8Array;
  /** `[` of each array, counted from the region's start. */
  spans: { key: string; open: number }[];
}

type ScanReply = { job: number; arrays: [string, Float64Array][] } | { job: number; failed: true };

/** How long the decoder waits for the scan before it reads the arrays itself. */
const WAIT_MS = 60_000;

/** The scan thread's side: each job's arrays read and handed back, or word that one is not all numbers. */
export function serveScans(replies: MessagePort, wake: Int32Array): void {
  parentPort!.on('message', ({ job, region, spans }: ScanJob) => {
    let reply: ScanReply;
    try {
      const arrays: [string, Float64Array][] = [];
      for (const { key, open } of spans) {
        const read = readNumbers(region, open + 1);
        if (!read) throw new Error(`${key} is not all numbers`);
        arrays.push([key, read.values]);
      }
      reply = { job, arrays };
    } catch {
      reply = { job, failed: true };
    }
    replies.postMessage(reply, 'arrays' in reply ? reply.arrays.map(([, a]) => a.buffer as ArrayBuffer) : []);
    Atomics.store(wake, 0, 1);
    Atomics.notify(wake, 0);
  });
}

/** The decoder thread's side: one scan thread, started on the first large profile and kept. */
export class NumberScanThread {
  private thread: { worker: Worker; replies: MessagePort; wake: Int32Array } | undefined;
  private nextJob = 1;

  constructor(private readonly script: ThreadScript) {}

  /**
   * Starts reading `spans` of `bytes` on the scan thread; the function returned waits for
   * the arrays (undefined if one was not all numbers, or the thread did not answer).
   */
  start(bytes: Uint8Array, spans: readonly ArraySpan[]): () => Map<string, Float64Array> | undefined {
    const { worker, replies, wake } = this.started();
    const job = this.nextJob++;
    // An upload in shared memory is read where it is; other bytes are copied over.
    const shared = bytes.buffer instanceof SharedArrayBuffer;
    const from = shared ? 0 : spans[0].open;
    const region = shared ? bytes : bytes.slice(from, spans[spans.length - 1].end);
    Atomics.store(wake, 0, 0);
    worker.postMessage({ job, region, spans: spans.map((s) => ({ key: s.key, open: s.open - from })) } satisfies ScanJob, shared ? [] : [region.buffer as ArrayBuffer]);
    return () => {
      const until = Date.now() + WAIT_MS;
      for (;;) {
        const got = receiveMessageOnPort(replies)?.message as ScanReply | undefined;
        if (got?.job === job) return 'arrays' in got ? new Map(got.arrays) : undefined;
        if (got) continue; // an earlier job's, given up on
        const left = until - Date.now();
        if (left <= 0) return undefined;
        Atomics.wait(wake, 0, 0, Math.min(left, 1000));
        Atomics.store(wake, 0, 0);
      }
    };
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
