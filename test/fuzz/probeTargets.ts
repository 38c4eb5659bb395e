// Decoders that misbehave on purpose, for the fuzz harness's own tests: run in a worker,
// the watchdog must stop each one and keep the input it was given.

import type { Seeds } from './seeds.ts';
import type { FuzzTarget } from './targets.ts';

const seed = Buffer.from('0123456789abcdef');
const never = () => false;

/** These targets need no recorded seeds. */
export const loadSeeds = async (): Promise<Seeds> => ({}) as Seeds;

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'loops-forever', seeds: () => [seed], rejects: never,
    decode: (b) => {
      if (b.equals(seed)) return;
      for (;;);
    },
  },
  {
    name: 'hoards-memory', seeds: () => [seed], rejects: never,
    decode: (b) => {
      if (b.equals(seed)) return;
      const held: string[][] = [];
      for (;;) held.push(Array.from({ length: 1e5 }, (_, i) => `${i}`));
    },
  },
];
