// Self time per source line: each sample's innermost frame (inlined frames expanded by
// the decoder, so the line is the one that ran), summed per file and line.

import type { CompactProfile } from '../../protocol/profile.ts';

export interface LineSelf {
  /** file → line (1-based) → self value. */
  byFile: Map<string, Map<number, number>>;
  total: number;
}

export function lineSelf(p: CompactProfile, sampleType: number): LineSelf {
  const types = Math.max(1, p.summary.sampleTypes.length);
  const byFrame = new Float64Array(p.frameFunction.length);
  let total = 0;
  for (let i = 0; i < p.sampleStack.length; i++) {
    const v = p.sampleValues[i * types + sampleType];
    byFrame[p.stackFrame[p.sampleStack[i]]] += v;
    total += v;
  }
  const byFile = new Map<string, Map<number, number>>();
  for (let f = 0; f < byFrame.length; f++) {
    const file = p.strings[p.frameFile[f]];
    const line = p.frameLine[f];
    if (!byFrame[f] || !file || !line) continue;
    let lines = byFile.get(file);
    if (!lines) byFile.set(file, lines = new Map());
    lines.set(line, (lines.get(line) ?? 0) + byFrame[f]);
  }
  return { byFile, total };
}

/** The sample type to show: the chosen one if valid, else the profile's default. */
export function chosenType(p: CompactProfile, chosen: number): number {
  return chosen >= 0 && chosen < p.summary.sampleTypes.length ? chosen : Math.max(0, p.summary.defaultSampleType);
}
