// Merging profiles (`POST /api/profiles/merge`): one profile whose samples are all of
// theirs, so its totals are the sums — a folder of `cpu-profile-<time>.prof` files seen
// as one. Sample types are matched by type and unit; a type one profile lacks counts 0 there.

import type { CompactProfile, SampleType } from '../../protocol/profile.ts';
import { ProfileBuilder, type FrameKindValue } from './profileBuilder.ts';

export function mergeProfiles(profiles: readonly CompactProfile[]): CompactProfile {
  if (profiles.length === 0) throw new Error('nothing to merge');
  const types: SampleType[] = [];
  const typeIndex = new Map<string, number>();
  const columns = profiles.map((p) => p.summary.sampleTypes.map((t) => {
    const key = `${t.type}\u0000${t.unit}`;
    let i = typeIndex.get(key);
    if (i === undefined) {
      i = types.length;
      types.push(t);
      typeIndex.set(key, i);
    }
    return i;
  }));
  const first = profiles[0].summary;
  const starts = profiles.map((p) => BigInt(p.summary.startTimeUnixNano || '0'));
  const ends = profiles.map((p, i) => starts[i] + BigInt(p.summary.durationNanos || '0'));
  const start = starts.reduce((a, b) => (b < a ? b : a));
  const end = ends.reduce((a, b) => (b > a ? b : a));
  const sameFormat = profiles.every((p) => p.summary.format === first.format);
  const builder = new ProfileBuilder({
    format: sameFormat ? first.format : 'pprof',
    sampleTypes: types,
    defaultSampleType: columns[0][first.defaultSampleType] ?? 0,
    startTimeUnixNano: String(start),
    durationNanos: String(end - start),
    service: profiles.every((p) => p.summary.service === first.service) ? first.service : '',
    periodType: first.periodType,
    period: first.period,
  });
  // Times are kept only when every input has them and they share a clock (Unix time).
  const keepTimes = profiles.every((p) => p.sampleTimeMs.length === p.sampleStack.length && p.summary.startTimeUnixNano !== '0');
  const values = new Float64Array(types.length);
  profiles.forEach((p, pi) => {
    const frameMap = new Uint32Array(p.frameFunction.length);
    for (let f = 0; f < frameMap.length; f++) {
      frameMap[f] = builder.frame({
        function: p.strings[p.frameFunction[f]], file: p.strings[p.frameFile[f]],
        line: p.frameLine[f], column: p.frameColumn[f], kind: p.frameKind[f] as FrameKindValue,
      });
    }
    const stackMap = new Int32Array(p.stackParent.length).fill(-2);
    const mapStack = (s: number): number => {
      // Walk up to a mapped ancestor, then map back down.
      const chain: number[] = [];
      let at = s;
      while (at >= 0 && stackMap[at] === -2) {
        chain.push(at);
        at = p.stackParent[at];
      }
      let mapped = at >= 0 ? stackMap[at] : -1;
      for (let c = chain.length - 1; c >= 0; c--) {
        mapped = builder.stack(mapped, frameMap[p.stackFrame[chain[c]]]);
        stackMap[chain[c]] = mapped;
      }
      return mapped;
    };
    const pTypes = p.summary.sampleTypes.length;
    const labeled = p.sampleLabelStart.length > 0;
    for (let i = 0; i < p.sampleStack.length; i++) {
      values.fill(0);
      for (let t = 0; t < pTypes; t++) values[columns[pi][t]] = p.sampleValues[i * pTypes + t];
      let labels: string[] | undefined;
      if (labeled) {
        labels = [];
        for (let j = p.sampleLabelStart[i]; j < p.sampleLabelStart[i + 1]; j++) labels.push(p.strings[p.labelKey[j]], p.strings[p.labelValue[j]]);
      }
      builder.sample(mapStack(p.sampleStack[i]), values, keepTimes ? p.sampleTimeMs[i] : undefined, labels);
    }
  });
  // Inputs hold runs of samples as single rows: the merged profile counts what they stand for.
  builder.extraSamples = profiles.reduce((sum, p) => sum + p.summary.sampleCount - p.sampleStack.length, 0);
  return builder.finish();
}
