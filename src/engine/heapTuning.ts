// How the engine keeps V8's heap close to what it holds, so that the memory budget is
// the process's memory. Two levers, because V8 reads them at different times:
//
// - The old generation's growth: after each full collection V8 lets the heap grow by a
//   factor (up to 4× on a machine with a large default heap) before it collects again.
//   With the store's log records and metric points on the heap, that slack was hundreds
//   of MiB of garbage. V8 reads the factor (--heap-growing-percent) at every collection,
//   so the engine sets it itself, however it was started, and keeps it such that the
//   slack stays near HEAP_SLACK_BYTES whatever the heap holds: 20% of a small heap, 3%
//   of a large one.
// - The young generation: its semi-spaces are sized when the process starts (up to
//   2 × 16 MiB by default), so that flag has to be on the node command line. The places
//   that start the engine pass `ENGINE_NODE_FLAGS` (and `ENGINE_ENV`, for malloc): `npm
//   start`, the extension, the benchmark.
//
// A hard cap (--max-old-space-size) is not set: the heap would then be a crash point,
// not a target, and the budget already bounds what the store keeps.

import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Node flags for the engine process (keep scripts/start.mjs, `npm start`, in step). */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * Environment for the engine process, set by whoever starts it (the extension, `npm
 * start` through scripts/start.mjs, the benchmarks; keep them in step): glibc's malloc
 * with a fixed mmap threshold. By default glibc serves blocks of 128 KiB or more with
 * their own mmap, but raises that threshold to the size of any such block freed: Node
 * freed a 4 MiB block while it read the 2.2 MB bundle at start, so from then on every
 * 4 MiB store chunk and every request body of a megabyte was carved from the main heap,
 * between small long-lived blocks, and what they left free could not be given back.
 * Under `npm run soak -- --wide` (64 MiB budget) the heap reached 110 MiB with a third of
 * it free, 200 MiB RSS; with the threshold fixed at 1 MiB chunks and large bodies are
 * mapped and unmapped whole, and the run stayed within its bound (see README,
 * Reliability). Other C libraries, and runtimes with their own allocator, ignore it.
 * Since then the bundle is under 1 MiB (the block Node frees reading it is 1 MiB) and the
 * store reuses evicted chunk buffers instead of freeing them, so an ingest run with
 * glibc's defaults kept its chunks mapped too; a large request body freed would still
 * lift it (not measured: `soak --wide` is the test).
 */
export const ENGINE_ENV: Readonly<Record<string, string>> =
  // An experiment's switch, not a setting: `LOUPE_NO_MALLOC_TUNING=1 node dist/bench/run.js
  // --only ingest` measures the engine with glibc's own threshold, for comparison.
  process.env.LOUPE_NO_MALLOC_TUNING === '1' ? {} : { MALLOC_MMAP_THRESHOLD_: String(1024 * 1024) };

const HEAP_SLACK_BYTES = 24 * 1024 * 1024;
const MIN_PERCENT = 3;
const MAX_PERCENT = 20;
const CHECK_MS = 500;

/** The growth percent that leaves about HEAP_SLACK_BYTES over a heap of `usedBytes`. */
export function heapGrowingPercent(usedBytes: number): number {
  const percent = Math.floor((HEAP_SLACK_BYTES / Math.max(usedBytes, 1)) * 100);
  return Math.max(MIN_PERCENT, Math.min(MAX_PERCENT, percent));
}

let holds = 0;
let adjustNow: (() => void) | undefined;

/**
 * V8's own growth heuristics (percent 0) until the returned release is called. The flag
 * is the whole process's, so it also rules the profile decoder's thread, whose heap
 * grows by a gigabyte in seconds while it decodes: at 20% a step, V8 collected all of
 * it again and again (half the CPU of a 50 MB pprof import).
 */
export function holdDefaultHeapGrowth(): () => void {
  holds++;
  adjustNow?.();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    adjustNow?.();
  };
}

/** Keeps V8's old-generation growth in step with the heap's size; returns a stop function. */
export function tuneHeapGrowth(): () => void {
  let current = -1;
  const adjust = (): void => {
    const percent = holds > 0 ? 0 : heapGrowingPercent(getHeapStatistics().used_heap_size);
    if (percent === current) return;
    current = percent;
    setFlagsFromString(`--heap-growing-percent=${percent}`);
  };
  adjustNow = adjust;
  adjust();
  const timer = setInterval(adjust, CHECK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (adjustNow === adjust) adjustNow = undefined;
  };
}
