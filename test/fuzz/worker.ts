// A fuzz worker thread: runs the targets it is sent, one job at a time, telling the
// shared input slot what it decodes so the parent can stop it (and keep the input) when
// a decoder never returns or runs out of memory.

import { parentPort, workerData } from 'node:worker_threads';
import { InputSlot } from './inputSlot.ts';
import { FuzzFailure, runTarget, type FuzzLimits } from './runner.ts';
import type { Seeds } from './seeds.ts';
import type { FuzzTarget } from './targets.ts';

export type WorkerLimits = Omit<FuzzLimits, 'onInput' | 'only'> & { only?: { where: string; bytes: Uint8Array } };
export interface WorkerJob { target: string; limits: WorkerLimits }
export type WorkerAnswer = { stats: import('./runner.ts').FuzzStats } | { failure: string };

interface TargetsModule {
  FUZZ_TARGETS: readonly FuzzTarget[];
  stopFuzzEngine?: () => void;
  /** Targets that need none of the recorded seeds say so by bringing their own. */
  loadSeeds?: () => Promise<Seeds>;
}

const { shared, targetsModule } = workerData as { shared: SharedArrayBuffer; targetsModule: string };
const slot = new InputSlot(shared);

async function main(): Promise<void> {
  // The worker runs under tsx's require hook (see watchdog.ts): modules are required, not imported.
  const mod = require(targetsModule) as TargetsModule;
  const all = await (mod.loadSeeds ?? (require('./seeds.ts') as typeof import('./seeds.ts')).seeds)();
  parentPort!.on('message', async (job: WorkerJob) => {
    const target = mod.FUZZ_TARGETS.find((t) => t.name === job.target);
    let answer: WorkerAnswer;
    try {
      if (!target) throw new FuzzFailure(`no fuzz target "${job.target}"`);
      const only = job.limits.only && { where: job.limits.only.where, bytes: Buffer.from(job.limits.only.bytes) };
      answer = { stats: await runTarget(target, await target.seeds(all), { ...job.limits, only, onInput: (input, where) => slot.begin(input, where) }) };
    } catch (err) {
      answer = { failure: err instanceof FuzzFailure ? err.message : `${job.target}: the harness failed: ${(err as Error).stack ?? String(err)}` };
    } finally {
      slot.idle();
      mod.stopFuzzEngine?.();
    }
    parentPort!.postMessage(answer);
  });
  parentPort!.postMessage('ready');
}

void main();
