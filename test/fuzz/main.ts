// `npm run fuzz -- --seconds N [--seed S] [--target NAME] [--input FILE]`: the long run.
// The time is shared among the targets; every target starts from the same seed (random
// unless given), so a failure reproduces with the command it prints. Each target runs in
// a worker thread under a watchdog: a decoder that never returns, or needs more memory
// than the worker has, is stopped and its input saved. `--input` runs one saved input.

import { readFileSync } from 'node:fs';
import { FuzzFailure, type FuzzStats } from './runner.ts';
import { FUZZ_TARGETS } from './targets.ts';
import { FuzzWorker } from './watchdog.ts';

const USAGE = 'usage: npm run fuzz -- [--seconds N] [--seed S] [--target NAME] [--input FILE (with --target)]';
const PER_INPUT_MS = 5000;
/** An input still running after this is stopped as a hang (one that ends between the two is reported as slow). */
const HANG_MS = 15_000;

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  return args[at].includes('=') ? args[at].slice(args[at].indexOf('=') + 1) : args[at + 1];
}

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function number(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) usageError(`--${name} "${text}" is not a number.`);
  return n;
}

function line(s: FuzzStats): string {
  const mib = (s.worstGrowthBytes / 1048576).toFixed(1);
  return `${s.target.padEnd(26)} ${String(s.inputs).padStart(8)} inputs  ${String(s.decoded).padStart(7)} decoded  ${String(s.rejected).padStart(7)} rejected  slowest ${s.slowestMs.toFixed(1).padStart(7)} ms  worst heap growth ${mib.padStart(6)} MiB`;
}

async function main(): Promise<void> {
  const seconds = number('seconds', 60);
  const seed = number('seed', Math.floor(Math.random() * 2 ** 31));
  const only = option('target');
  const inputFile = option('input');
  const targets = only ? FUZZ_TARGETS.filter((t) => t.name === only) : FUZZ_TARGETS;
  if (!targets.length) usageError(`no target "${only}"; the targets are ${FUZZ_TARGETS.map((t) => t.name).join(', ')}`);
  if (inputFile && !only) usageError('--input needs --target: the target whose decoder reads the file.');
  let input: Buffer | undefined;
  try {
    input = inputFile === undefined ? undefined : readFileSync(inputFile);
  } catch (err) {
    usageError(`cannot read --input ${inputFile}: ${(err as Error).message}`);
  }
  const worker = new FuzzWorker({ hangMs: HANG_MS });
  const started = Date.now();
  let total = 0;
  let failures = 0;
  console.log(input ? `running ${inputFile} through ${only}` : `fuzzing ${targets.length} target(s) for ${seconds} s, seed ${seed}, hang limit ${HANG_MS / 1000} s per input`);
  for (const target of targets) {
    try {
      const limits = input
        ? { seed, perInputMs: PER_INPUT_MS, only: { where: `input ${inputFile}`, bytes: input } }
        : { seed, untilMs: (seconds * 1000) / targets.length, perInputMs: PER_INPUT_MS };
      const stats = await worker.run(target.name, limits);
      total += stats.inputs;
      console.log(line(stats));
    } catch (err) {
      if (!(err instanceof FuzzFailure)) throw err;
      // The other targets still run: one long run reports every decoder that fails.
      failures++;
      console.error(`\nFAILED: ${err.message}\n`);
    }
  }
  await worker.close();
  console.log(`${total} inputs in ${Math.round((Date.now() - started) / 1000)} s, ${failures ? `${failures} target(s) FAILED` : 'no failure'}`);
  if (failures) process.exitCode = 1;
}

void main();
