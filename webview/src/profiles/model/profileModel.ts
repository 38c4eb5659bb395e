// One opened profile and what the views derive from it, for the chosen sample type and
// label filter; each derived layout is computed when first asked for and kept until the
// choice changes.

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

  constructor(readonly profile: CompactProfile, private type: number, private filter?: LabelFilter) {
    this.fns = functionTable(profile);
    if (!(type >= 0 && type < profile.summary.sampleTypes.length)) this.type = Math.max(0, Math.min(profile.summary.sampleTypes.length - 1, profile.summary.defaultSampleType));
  }

  get sampleType(): number {
    return this.type;
  }

  get labelFilter(): LabelFilter | undefined {
    return this.filter;
  }

  get hasTimes(): boolean {
    return hasSampleTimes(this.profile);
  }

  choose(type: number, filter: LabelFilter | undefined): void {
    if (type === this.type && filter?.key === this.filter?.key && filter?.value === this.filter?.value) return;
    this.type = type;
    this.filter = filter;
    this.cache.clear();
    this.mask = undefined;
    this.weightsOf = undefined;
  }

  get weights(): Float64Array {
    this.mask ??= sampleMask(this.profile, this.filter);
    return this.weightsOf ??= stackWeights(this.profile, this.type, this.mask);
  }

  flame(): FlameLayout {
    return this.memo('flame', () => layoutTree(flameTree(this.profile, this.fns, this.weights), this.fns.name));
  }

  timeOrder(): FlameLayout {
    return this.memo('time', () => {
      this.mask ??= sampleMask(this.profile, this.filter);
      return timeOrderLayout(this.profile, this.fns, this.type, this.mask);
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
