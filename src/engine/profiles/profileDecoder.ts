// Profile files are decoded on a worker thread (src/engine/profiles/decodeWorker.ts),
// one at a time, so a 50 MB upload costs the event loop only the hand-over, not
// seconds of parsing. The worker starts on the first import and stays (unreferenced,
// it never keeps the process alive); if it dies (e.g. out of memory on a huge file),
// the pending imports fail with a message that says so and the next import starts a
// fresh one.

import type { Worker } from 'node:worker_threads';
import type { CompactProfile } from '../../protocol/profile.ts';
import { holdDefaultHeapGrowth } from '../heapTuning.ts';
import { decodeProfile } from './decodeProfile.ts';
import type { DecodeJob, DecodeResult } from './decodeWorker.ts';
import { ProfileDecodeError } from './profileError.ts';
import { decoderScript, startThread } from './threadScript.ts';

interface Pending {
  byStack?(p: CompactProfile): void;
  resolve(p: CompactProfile): void;
  reject(e: Error): void;
}

/** Released when no decode is pending. */
let releaseGrowth: (() => void) | undefined;

const IDLE_MS = 60_000;

/**
 * Tests only: when set, a decode that has sent its samples merged by stack fails with
 * this message and its thread is ended, as when the thread runs out of memory there.
 */
export const decoderTestSeam: { failAfterByStack?: string } = {};

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
const pending = new Map<number, Pending>();
let nextJob = 1;

/**
 * Decodes `bytes` (any supported format) off the event loop. `bytes` is handed over: do
 * not use it afterwards. `byStack`: called first with the samples merged by stack when
 * the format gives them early (see `decodeProfile`).
 */
export function decodeProfileOffThread(bytes: Uint8Array, maxUncompressedBytes: number, byStack?: (p: CompactProfile) => void, arrival?: Int32Array): Promise<CompactProfile> {
  const w = decoderThread();
  clearTimeout(idleTimer);
  if (!w) {
    if (arrival) throw new Error('a body still arriving can only be decoded on the decoder thread (see canDecodeWhileArriving)');
    return Promise.resolve().then(() => decodeProfile(bytes, maxUncompressedBytes, byStack));
  }
  const id = nextJob++;
  // Shared bytes (an upload still arriving) are shared; others are transferred when they
  // own their whole buffer (large uploads do), else copied once.
  const shared = bytes.buffer instanceof SharedArrayBuffer;
  const own = shared || (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength);
  const sent = own ? bytes : bytes.slice();
  const job: DecodeJob = { id, bytes: sent, maxUncompressedBytes, arrival };
  return new Promise<CompactProfile>((resolve, reject) => {
    pending.set(id, { byStack, resolve, reject });
    if (pending.size === 1) {
      w.ref();
      releaseGrowth ??= holdDefaultHeapGrowth();
    }
    w.postMessage(job, shared ? [] : [sent.buffer as ArrayBuffer]);
  });
}

/** Ends the decoder thread after a quiet minute without jobs. */
function endWhenIdle(w: Worker): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (worker === w && pending.size === 0) {
      worker = undefined;
      void w.terminate();
    }
  }, IDLE_MS).unref();
}

/**
 * Starts the decoder threads ahead of an import that is likely to come (someone is
 * looking at the profile list): starting them takes a tenth of a second, which the
 * first import would otherwise wait for before it reads a byte. They end after a quiet
 * minute as after a decode.
 */
export function prepareDecoder(): void {
  const w = decoderThread();
  if (w && pending.size === 0) endWhenIdle(w);
}

/** Whether a body can be handed to `decodeProfileOffThread` while it still arrives: there is a decoder thread. */
export function canDecodeWhileArriving(): boolean {
  return decoderThread() !== undefined;
}

function settleGrowth(): void {
  releaseGrowth?.();
  releaseGrowth = undefined;
}

function decoderThread(): Worker | undefined {
  if (worker) return worker;
  const script = decoderScript(__dirname);
  if (!script) return undefined;
  const w = startThread(script);
  w.unref();
  w.on('message', (r: DecodeResult) => {
    const job = pending.get(r.id);
    if (!job) return;
    if ('byStack' in r) {
      job.byStack?.(r.byStack);
      if (decoderTestSeam.failAfterByStack !== undefined) {
        fail(decoderTestSeam.failAfterByStack);
        void w.terminate();
      }
      return;
    }
    pending.delete(r.id);
    if (pending.size === 0) {
      w.unref();
      settleGrowth();
      endWhenIdle(w);
    }
    if ('compact' in r) job.resolve(r.compact);
    else if ('decodeError' in r) job.reject(Object.assign(new ProfileDecodeError(r.decodeError.format, ''), { message: r.decodeError.message }));
    else job.reject(new Error(`the profile decoder failed: ${r.failure}`));
  });
  const fail = (why: string) => {
    // A thread ended for being idle is no longer `worker`, and has no jobs.
    if (worker !== w) return;
    worker = undefined;
    for (const job of pending.values()) job.reject(new ProfileDecodeError('unknown', why));
    pending.clear();
    settleGrowth();
  };
  w.on('error', (err) => {
    const oom = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    fail(oom ? 'decoding it ran out of memory (the decoder thread has the engine\'s heap limit); start the engine with a larger --max-old-space-size or open a smaller profile' : `the decoder thread failed (${err.message})`);
  });
  w.on('exit', () => fail('the decoder thread stopped before it finished'));
  worker = w;
  return w;
}
