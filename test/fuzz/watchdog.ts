// Runs fuzz targets in a worker thread under a watchdog, so that every input is bounded
// in time and memory even when a decoder loops forever or allocates without end: the
// parent reads the input being decoded from shared memory, stops the worker, saves the
// input and reports it with the command that runs it again. The next job gets a fresh
// worker.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputSlot } from './inputSlot.ts';
import { FuzzFailure, save, type FuzzStats } from './runner.ts';
import type { WorkerAnswer, WorkerLimits } from './worker.ts';

export interface WatchdogOptions {
  /** An input still decoding after this long is a hang: the worker is stopped. */
  hangMs: number;
  /** The worker's JS heap limit: a decoder that needs more is reported, not the machine's problem. */
  heapMb?: number;
  /** The module whose FUZZ_TARGETS the worker runs (the harness's own tests use probes). */
  targetsModule?: string;
}

/** Inputs longer than this are saved by their first bytes only (the report says so). */
const SLOT_BYTES = 16 * 1048576;
const CHECK_EVERY_MS = 100;

export class FuzzWorker {
  private worker: Promise<Worker> | undefined;
  private slot = InputSlot.create(SLOT_BYTES);

  constructor(private readonly options: WatchdogOptions) {}

  /** Runs one target's job; rejects with a FuzzFailure for a failing input, a hang or a memory blow-up. */
  async run(target: string, limits: WorkerLimits): Promise<FuzzStats> {
    const worker = await this.start();
    return new Promise<FuzzStats>((resolve, reject) => {
      const stopped = (why: string) => {
        const current = this.slot.current();
        this.discard();
        if (!current) return reject(new FuzzFailure(`${target}: the fuzz worker stopped (${why}) between inputs`));
        const saved = save(target, current.where, current.input);
        const size = `${current.input.length} bytes${current.truncated ? ', truncated: the input was longer' : ''}`;
        reject(new FuzzFailure(`${target} ${current.where}: ${why}\n  input (${size}) saved to ${saved}\n  reproduce: npm run fuzz -- --target ${target} --input ${saved}`));
      };
      const timer = setInterval(() => {
        const current = this.slot.current();
        if (current && current.busyMs > this.options.hangMs) {
          done();
          stopped(`still decoding after ${Math.round(current.busyMs)} ms (hang limit ${this.options.hangMs} ms); the worker was stopped`);
        }
      }, CHECK_EVERY_MS);
      const onMessage = (answer: WorkerAnswer) => {
        done();
        if ('stats' in answer) resolve(answer.stats);
        else reject(new FuzzFailure(answer.failure));
      };
      const onError = (err: Error & { code?: string }) => {
        done();
        stopped(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `ran out of memory (worker heap limit ${this.options.heapMb ?? DEFAULT_HEAP_MB} MiB)` : `the worker died: ${err.stack ?? err.message}`);
      };
      const onExit = (code: number) => {
        done();
        stopped(`the worker exited with code ${code}`);
      };
      const done = () => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ target, limits });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker).terminate();
  }

  /** Stops the worker (stuck or dead); the next job starts another with a fresh slot. */
  private discard(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.slot = InputSlot.create(SLOT_BYTES);
    void worker?.then((w) => w.terminate());
  }

  private start(): Promise<Worker> {
    this.worker ??= new Promise<Worker>((resolve, reject) => {
      // A worker does not inherit tsx's loader: it registers tsx's require hook itself.
      const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'worker.ts'))});`;
      const worker = new Worker(code, {
        eval: true,
        workerData: { shared: this.slot.shared, targetsModule: this.options.targetsModule ?? join(__dirname, 'targets.ts') },
        resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb ?? DEFAULT_HEAP_MB },
      });
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
    return this.worker;
  }
}

const DEFAULT_HEAP_MB = 1536;
