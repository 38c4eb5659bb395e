// One opened profile and what the views derive from it, for the chosen sample type and
// label filter; each derived layout is computed when first asked for and kept until the
// choice changes. The profile may come with its samples merged by stack (the engine's
// `samples=by-stack`): every view but the time-order chart reads that; the chart needs
// every sample and its time, handed in later with `setSamples`.

import type { CompactProfile } from '../../../../src/protocol/profile.ts';
import { flameTree, calleesTree, callersTree } from './trees.ts';
import { layoutTree, type FlameLayout } from './flameLayout.ts';
import { functionFigures, type FunctionFigures } from './functionTotals.ts';
import { functionTable, type FunctionTable } from './functions.ts';
import { sampleMask, stackWeights, type LabelFilter } from './sampleFilter.ts';
import { hasSampleTimes, timeOrderLayout } from './timeOrder.ts';

export class ProfileModel {
  readonly fns: FunctionTable;
  private cache = new Map<string, unknown>();
  private mask: Uint8Array | undefined;
  private weightsOf: Float64Array | undefined;
  /** Every sample with its time, once fetched (or the profile itself when it has them). */
  private timed: CompactProfile | undefined;
  private timedMask: Uint8Array | undefined;

  constructor(readonly profile: CompactProfile, private type: number, private filter?: LabelFilter) {
    this.fns = functionTable(profile);
    if (!(type >= 0 && type < profile.summary.sampleTypes.length)) this.type = Math.max(0, Math.min(profile.summary.sampleTypes.length - 1, profile.summary.defaultSampleType));
    if (hasSampleTimes(profile)) this.timed = profile;
  }

  get sampleType(): number {
    return this.type;
  }

  get labelFilter(): LabelFilter | undefined {
    return this.filter;
  }

  get hasTimes(): boolean {
    return !!this.timed || this.profile.summary.hasSampleTimes === true;
  }

  /** The time-order chart waits for `setSamples`. */
  get needsSamples(): boolean {
    return this.hasTimes && !this.timed;
  }

  /** The whole profile (same frames and stacks, every sample with its time) for the time-order chart. */
  setSamples(full: CompactProfile): void {
    if (full.stackParent.length !== this.profile.stackParent.length || full.frameFunction.length !== this.profile.frameFunction.length) {
      throw new Error('the profile\'s samples do not match its stacks (was it replaced?); reopen it');
    }
    if (!hasSampleTimes(full)) throw new Error('the engine sent the profile\'s samples without their times');
    this.timed = full;
    this.timedMask = undefined;
    this.cache.delete('time');
  }

  choose(type: number, filter: LabelFilter | undefined): void {
    if (type === this.type && filter?.key === this.filter?.key && filter?.value === this.filter?.value) return;
    this.type = type;
    this.filter = filter;
    this.cache.clear();
    this.mask = undefined;
    this.weightsOf = undefined;
    this.timedMask = undefined;
  }

  get weights(): Float64Array {
    this.mask ??= sampleMask(this.profile, this.filter);
    return this.weightsOf ??= stackWeights(this.profile, this.type, this.mask);
  }

  flame(): FlameLayout {
    return this.memo('flame', () => layoutTree(flameTree(this.profile, this.fns, this.weights), this.fns.name));
  }

  /** Call only once `hasTimes && !needsSamples`. */
  timeOrder(): FlameLayout {
    return this.memo('time', () => {
      const timed = this.timed;
      if (!timed) throw new Error('the time-order chart needs the profile\'s samples (setSamples)');
      this.timedMask ??= sampleMask(timed, this.filter);
      return timeOrderLayout(timed, this.fns, this.type, this.timedMask);
    });
  }

  callers(func: number): FlameLayout {
    return this.memo(`callers:${func}`, () => layoutTree(callersTree(this.profile, this.fns, this.weights, func), this.fns.name));
  }

  callees(func: number): FlameLayout {
    return this.memo(`callees:${func}`, () => layoutTree(calleesTree(this.profile, this.fns, this.weights, func), this.fns.name));
  }

  figures(): FunctionFigures {
    return this.memo('figures', () => functionFigures(this.flame(), this.fns.count));
  }

  /** The function named `name` (the heaviest if several files have one), or -1. */
  functionNamed(name: string): number {
    let best = -1;
    const total = this.figures().total;
    for (let f = 0; f < this.fns.count; f++) if (this.fns.name[f] === name && (best < 0 || total[f] > total[best])) best = f;
    return best;
  }

  private memo<T>(key: string, make: () => T): T {
    let v = this.cache.get(key) as T | undefined;
    if (v === undefined) this.cache.set(key, v = make());
    return v;
  }
}
