// Drives one fuzz target: the committed corpus, random valid inputs, then seeded
// mutations of the seeds, each input bounded in time and in the memory it may make the
// decoder hold. A failure names the target, seed and iteration, which regenerate the
// input exactly, and saves the input itself.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int, mutate, random } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';

export const CORPUS_DIR = join(__dirname, 'corpus');

export interface FuzzLimits {
  seed: number;
  /** Stop after this many mutated inputs… */
  iterations?: number;
  /** …or once this much time has passed, whichever comes first. */
  untilMs?: number;
  /** Longest a single input may take to decode. */
  perInputMs: number;
  /** Told of each input before it is decoded: the watchdog keeps it, to save if the decoder never returns. */
  onInput?: (input: Buffer, where: string) => void;
  /** Decodes only this input (a saved failure, run again), instead of seeds, corpus and mutations. */
  only?: { where: string; bytes: Buffer };
}

export interface FuzzStats {
  target: string;
  inputs: number;
  decoded: number;
  rejected: number;
  slowestMs: number;
  /** The most JS heap plus ArrayBuffer memory one input left held after decoding. */
  worstGrowthBytes: number;
}

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

/**
 * Memory a decoder may hold for one input: what its output can honestly need (a few
 * times the input's size) plus slack for the allocator. A decoder that believes a
 * length the input claims but does not have goes far past this.
 */
export function memoryAllowance(inputBytes: number): number {
  return 64 * 1048576 + inputBytes * 256;
}

export function corpusInputs(target: FuzzTarget): { name: string; bytes: Buffer }[] {
  const dir = join(CORPUS_DIR, target.name);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

export async function runTarget(target: FuzzTarget, seeds: Buffer[], limits: FuzzLimits): Promise<FuzzStats> {
  const stats: FuzzStats = { target: target.name, inputs: 0, decoded: 0, rejected: 0, slowestMs: 0, worstGrowthBytes: 0 };
  const started = Date.now();
  const rand = random(limits.seed);
  const attempt = async (input: Buffer, where: string, mustDecode: boolean) => {
    limits.onInput?.(input, where);
    const before = heldBytes();
    const t0 = performance.now();
    let error: unknown;
    let outcome: 'rejected' | void = undefined;
    try {
      outcome = await target.decode(input);
    } catch (err) {
      error = err;
    }
    const ms = performance.now() - t0;
    const grew = heldBytes() - before;
    stats.inputs++;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    stats.worstGrowthBytes = Math.max(stats.worstGrowthBytes, grew);
    const fail = (why: string) => {
      const saved = save(target, where, input);
      throw new FuzzFailure(`${target.name} ${where}: ${why}\n  input (${input.length} bytes) saved to ${saved}\n  reproduce: npm run fuzz -- --target ${target.name} --seed ${limits.seed} (or this input alone: --target ${target.name} --input ${saved})`);
    };
    if (ms > limits.perInputMs) fail(`took ${Math.round(ms)} ms (limit ${limits.perInputMs} ms)`);
    if (grew > memoryAllowance(input.length)) fail(`held ${Math.round(grew / 1048576)} MiB more after decoding ${input.length} bytes`);
    if (error === undefined && outcome === 'rejected') {
      // A reader that never throws (the disk tier's): it skipped and counted the damage.
      if (mustDecode) fail('a valid input was reported damaged');
      stats.rejected++;
      return;
    }
    if (error === undefined) {
      stats.decoded++;
      return;
    }
    if (!target.rejects(error)) fail(`threw an undocumented error: ${error instanceof Error ? error.stack : String(error)}`);
    if (mustDecode) fail(`a valid generated input was rejected: ${(error as Error).message}`);
    if (!((error as Error).message?.length > 10)) fail(`the error says too little: "${(error as Error).message}"`);
    stats.rejected++;
  };
  if (limits.only) {
    await attempt(limits.only.bytes, limits.only.where, false);
    return stats;
  }
  for (const seed of seeds) await attempt(seed, 'seed', true);
  for (const { name, bytes } of corpusInputs(target)) await attempt(bytes, `corpus ${name}`, false);
  const done = (i: number) => (limits.iterations !== undefined && i >= limits.iterations) || (limits.untilMs !== undefined && Date.now() - started >= limits.untilMs);
  for (let i = 0; !done(i); i++) {
    if (target.generate && i % 4 === 0) {
      await attempt(target.generate(rand), `seed ${limits.seed} iteration ${i} (generated)`, true);
      continue;
    }
    const seed = seeds[int(rand, seeds.length)];
    const other = seeds[int(rand, seeds.length)];
    const input = target.mutate ? target.mutate(seed, rand, other) : mutate(seed, rand, other, target.text ?? false);
    await attempt(input, `seed ${limits.seed} iteration ${i}`, false);
  }
  return stats;
}

/** JS heap plus ArrayBuffers: what a decoder's allocations show up in. */
function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Where failing inputs are saved: `npm run fuzz -- --target T --input FILE` runs one again. */
export const CRASH_DIR = join(tmpdir(), 'loupe-fuzz');

export function save(target: FuzzTarget | string, where: string, input: Buffer): string {
  const name = typeof target === 'string' ? target : target.name;
  const dir = CRASH_DIR;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${where.replace(/[^a-z0-9]+/gi, '-')}.bin`);
  writeFileSync(path, input);
  return path;
}
