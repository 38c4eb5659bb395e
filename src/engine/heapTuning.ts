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
 * start` through scripts/start.mjs, the benchmarks; keep them in step): two glibc malloc
 * tunables.
 *
 * - A fixed mmap threshold. By default glibc serves blocks of 128 KiB or more with their
 *   own mmap, but raises that threshold to the size of any such block freed: Node freed
 *   a 4 MiB block while it read the (then 2.2 MB) bundle at start, so from then on every
 *   4 MiB store chunk and every request body of a megabyte was carved from the main
 *   heap, between small long-lived blocks, and what they left free could not be given
 *   back. Under `npm run soak -- --wide` (64 MiB budget) the heap reached 110 MiB with a
 *   third of it free, 200 MiB RSS; with the threshold fixed at 1 MiB, chunks and large
 *   bodies are mapped and unmapped whole, and the run stayed within its bound (see
 *   README, Reliability). The bundle is smaller now and the stores reuse their chunk
 *   buffers, but a large request body freed would still lift it.
 * - Transparent huge pages for those mapped blocks (`hugetlb=1`: glibc advises the
 *   kernel, which many distributions leave at "madvise"). Every request body, decoded
 *   profile array and store chunk is fresh memory, and its first write costs a page
 *   fault per 4 KiB: on a virtual machine that is the bulk of the cost (here 3.7 ms per
 *   MiB, against 0.1 ms with 2 MiB pages). Measured with it (README, Performance): HTTP
 *   protobuf ingest 185k → 225k spans/s, a 50 MB profile's upload read 470 → 170 ms, and
 *   peak RSS unchanged (blocks of 1 MiB or more are used whole; a huge page only forms in
 *   an aligned 2 MiB stretch of one).
 *
 * Other C libraries, and runtimes with their own allocator, ignore both. A
 * `GLIBC_TUNABLES` the user set is kept, and these follow it.
 */
export const ENGINE_ENV: Readonly<Record<string, string>> =
  // An experiment's switch, not a setting: `LOUPE_NO_MALLOC_TUNING=1 node dist/bench/run.js
  // --only ingest` measures the engine with glibc's defaults, for comparison.
  process.env.LOUPE_NO_MALLOC_TUNING === '1' ? {} : { GLIBC_TUNABLES: glibcTunables(process.env.GLIBC_TUNABLES) };

/** The engine's malloc tunables after any the environment already has. */
export function glibcTunables(existing: string | undefined): string {
  const ours = `glibc.malloc.mmap_threshold=${1024 * 1024}:glibc.malloc.hugetlb=1`;
  return existing ? `${existing}:${ours}` : ours;
}

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
