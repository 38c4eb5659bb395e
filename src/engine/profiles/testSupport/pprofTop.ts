// Reading `go tool pprof -top -cum` text output, and computing the same per-function
// figures straight from the pprof-format objects (no Loupe code), for the tests.

import { spawnSync } from 'node:child_process';
import { Profile } from 'pprof-format';
import { gunzipSync } from 'node:zlib';

export interface PprofRow {
  function: string;
  flatPercent: number;
  cumPercent: number;
}

/** The rows of `go tool pprof -top` output: `flat flat% sum% cum cum% name [(inline)]`. */
export function parsePprofTop(text: string): PprofRow[] {
  const rows: PprofRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+([\d.]+)%\s+([\d.]+)%\s+(\S+)\s+([\d.]+)%\s+(.+?)(?: \(inline\))?\s*$/.exec(line);
    if (m) rows.push({ function: m[6], flatPercent: Number(m[2]), cumPercent: Number(m[5]) });
  }
  return rows;
}

/** `go tool pprof -top -cum` run live, or undefined when Go is not installed. */
export function runGoPprofTop(file: string, sampleIndex?: string): string | undefined {
  const args = ['tool', 'pprof', '-top', '-cum', '-nodefraction=0', '-nodecount=100000'];
  if (sampleIndex) args.push(`-sample_index=${sampleIndex}`);
  const result = spawnSync('go', [...args, file], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout;
}

/** Self and total per function name, with a function counted once per sample, straight from the protobuf. */
export function independentTotals(gzipped: Uint8Array, sampleIndex: number): { self: Map<string, number>; total: Map<string, number>; grand: number } {
  const profile = Profile.decode(gunzipSync(gzipped));
  const strings = profile.stringTable.strings;
  const fnName = new Map(profile.function.map((f) => [Number(f.id), strings[Number(f.name)]]));
  const locNames = new Map(profile.location.map((l) => [Number(l.id), l.line.map((line) => fnName.get(Number(line.functionId))!)]));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let grand = 0;
  for (const sample of profile.sample) {
    const v = Number(sample.value[sampleIndex]);
    grand += v;
    if (v === 0) continue;
    const names = sample.locationId.flatMap((id) => locNames.get(Number(id))!);
    self.set(names[0], (self.get(names[0]) ?? 0) + v);
    for (const name of new Set(names)) total.set(name, (total.get(name) ?? 0) + v);
  }
  return { self, total, grand };
}
