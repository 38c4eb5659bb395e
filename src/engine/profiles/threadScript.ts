// How the profile threads start: from the bundle next to the engine (dist/profileDecoder.js),
// or from the source through tsx when the engine runs from source (tests).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';

export interface ThreadScript {
  file: string;
  viaTsx?: boolean;
}

/** The decoder thread's script beside `dir` (the engine's or the profiles' folder); none: decode in-thread. */
export function decoderScript(dir: string): ThreadScript | undefined {
  const bundled = join(dir, 'profileDecoder.js');
  if (existsSync(bundled)) return { file: bundled };
  const source = join(dir, 'decodeWorker.ts');
  if (existsSync(source)) return { file: source, viaTsx: true };
  return undefined;
}

/**
 * A thread running `script` with `workerData` (which always carries the script, so the
 * thread can start another like it). Its young generation is sized for a decode:
 * parsing a large profile's nodes makes tens of MB of objects that all live on, and with
 * the engine's small semi-spaces (ENGINE_NODE_FLAGS) each was copied again and again.
 */
export function startThread(script: ThreadScript, workerData: Record<string, unknown> = {}, transferList: TransferListItem[] = []): Worker {
  const options = { workerData: { ...workerData, script }, transferList, resourceLimits: { maxYoungGenerationSizeMb: 96 } };
  return script.viaTsx
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script.file)});`, { ...options, eval: true })
    : new Worker(script.file, options);
}
