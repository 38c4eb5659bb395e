// How the engine keeps V8's heap close to what it holds, so that the memory budget is
// the process's memory. Two levers, because V8 reads them at different times:
//
// - The old generation's growth: after each full collection V8 lets the heap grow by a
//   factor (up to 4× on a machine with a large default heap) before collecting again.
//   With the store's log records and metric points on the heap that slack was hundreds
//   of MiB of garbage. V8 reads the factor at every collection, so the engine sets it
//   itself at start (`tuneHeapGrowth`), however it was started.
// - The young generation: its semi-spaces are sized when the process starts (up to
//   2 × 16 MiB by default), so that flag has to be on the node command line. The places
//   that start the engine pass `ENGINE_NODE_FLAGS`: `npm start`, the extension, the
//   benchmark.
//
// A hard cap (--max-old-space-size) is not set: the heap would then be a crash point,
// not a target, and the budget already bounds what the store keeps.

import { setFlagsFromString } from 'node:v8';

/** Heap growth after a full collection, in percent of what survived it. */
export const HEAP_GROWING_PERCENT = 20;

/** Node flags for the engine process (keep package.json's `start` script in step). */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

export function tuneHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
