// `npm run fuzz -- --seconds N [--seed S] [--target NAME]`: the long run. The time is
// shared among the targets; every target starts from the same seed (random unless
// given), so a failure reproduces with the command it prints.

import { FuzzFailure, runTarget } from './runner.ts';
import { seeds } from './seeds.ts';
import { FUZZ_TARGETS, stopFuzzEngine } from './targets.ts';

const USAGE = 'usage: npm run fuzz -- [--seconds N] [--seed S] [--target NAME]';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  return args[at].includes('=') ? args[at].slice(args[at].indexOf('=') + 1) : args[at + 1];
}

function number(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} "${text}" is not a number.\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const seconds = number('seconds', 60);
  const seed = number('seed', Math.floor(Math.random() * 2 ** 31));
  const only = option('target');
  const targets = only ? FUZZ_TARGETS.filter((t) => t.name === only) : FUZZ_TARGETS;
  if (!targets.length) {
    console.error(`no target "${only}"; the targets are ${FUZZ_TARGETS.map((t) => t.name).join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const all = await seeds();
  console.log(`fuzzing ${targets.length} target(s) for ${seconds} s, seed ${seed}`);
  let total = 0;
  try {
    for (const target of targets) {
      const stats = runTarget(target, target.seeds(all), { seed, untilMs: (seconds * 1000) / targets.length, perInputMs: 5000 });
      total += stats.inputs;
      console.log(`${target.name.padEnd(24)} ${String(stats.inputs).padStart(8)} inputs  ${String(stats.decoded).padStart(7)} decoded  ${String(stats.rejected).padStart(7)} rejected  slowest ${stats.slowestMs.toFixed(1)} ms`);
    }
  } catch (err) {
    if (!(err instanceof FuzzFailure)) throw err;
    console.error(`\nFAILED: ${err.message}`);
    process.exitCode = 1;
  } finally {
    stopFuzzEngine();
  }
  if (!process.exitCode) console.log(`${total} inputs, no failure`);
}

void main();
