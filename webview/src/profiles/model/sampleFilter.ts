// Which samples count: all of them, or those carrying one label value (a thread, a span
// id, a trace id…). Also what labels the profile has, for the filter's pickers.

import type { CompactProfile } from '../../../../src/protocol/profile.ts';

export interface LabelFilter {
  key: string;
  value: string;
}

export interface LabelSummary {
  key: string;
  /** Values with the number of samples carrying each, most first. */
  values: { value: string; samples: number }[];
}

/** Label keys and their values, at most `maxValues` per key. */
export function labelSummary(p: CompactProfile, maxValues = 500): LabelSummary[] {
  const byKey = new Map<number, Map<number, number>>();
  for (let j = 0; j < p.labelKey.length; j++) {
    let values = byKey.get(p.labelKey[j]);
    if (!values) byKey.set(p.labelKey[j], values = new Map());
    values.set(p.labelValue[j], (values.get(p.labelValue[j]) ?? 0) + 1);
  }
  return [...byKey].map(([key, values]) => ({
    key: p.strings[key],
    values: [...values].sort((a, b) => b[1] - a[1]).slice(0, maxValues).map(([v, n]) => ({ value: p.strings[v], samples: n })),
  })).sort((a, b) => a.key.localeCompare(b.key));
}

/** Per sample, whether it passes `filter` (undefined: no filter, every sample passes). */
export function sampleMask(p: CompactProfile, filter: LabelFilter | undefined): Uint8Array | undefined {
  if (!filter) return undefined;
  const samples = p.sampleStack.length;
  const mask = new Uint8Array(samples);
  if (!p.sampleLabelStart.length) return mask;
  const key = p.strings.indexOf(filter.key);
  const value = p.strings.indexOf(filter.value);
  if (key < 0 || value < 0) return mask;
  for (let i = 0; i < samples; i++) {
    for (let j = p.sampleLabelStart[i], end = p.sampleLabelStart[i + 1] ?? p.labelKey.length; j < end; j++) {
      if (p.labelKey[j] === key && p.labelValue[j] === value) { mask[i] = 1; break; }
    }
  }
  return mask;
}

/** The weight of each stack's own samples for one sample type. */
export function stackWeights(p: CompactProfile, sampleType: number, mask?: Uint8Array): Float64Array {
  const weights = new Float64Array(p.stackParent.length);
  const types = Math.max(1, p.summary.sampleTypes.length);
  const stacks = p.sampleStack;
  const values = p.sampleValues;
  for (let i = 0; i < stacks.length; i++) {
    if (mask && !mask[i]) continue;
    weights[stacks[i]] += values[i * types + sampleType];
  }
  return weights;
}
