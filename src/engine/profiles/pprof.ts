// pprof (profile.proto, gzip already removed) → the compact profile, decoded with the
// pprof-format package. Locations expand to one frame per Line, innermost first in the
// file, so a sample's frames are read in reverse to go root first.

import { Profile, type Location } from 'pprof-format';
import { FrameKind } from '../../protocol/profile.ts';
import type { CompactProfile, SampleType } from '../../protocol/profile.ts';
import { ProfileBuilder, type FrameInput, type FrameKindValue } from './profileBuilder.ts';
import { ProfileDecodeError } from './profileError.ts';

type Numeric = number | bigint;

export function decodePprof(bytes: Uint8Array): CompactProfile {
  let profile: Profile;
  try {
    profile = Profile.decode(bytes);
  } catch (err) {
    throw new ProfileDecodeError('pprof', `the protobuf does not decode (${(err as Error).message})`);
  }
  const strings = profile.stringTable.strings;
  const str = (index: Numeric, what: string): string => {
    const i = Number(index);
    if (!(i >= 0 && i < strings.length)) throw new ProfileDecodeError('pprof', `${what} names string ${i}, but the string table has ${strings.length} entries`);
    return strings[i];
  };
  if (profile.sampleType.length === 0) throw new ProfileDecodeError('pprof', 'it has no sample types (is this really a pprof file?)');
  const sampleTypes: SampleType[] = profile.sampleType.map((t, i) => ({ type: str(t.type, `sample type ${i}`), unit: str(t.unit, `sample type ${i}`) }));
  const defaultName = Number(profile.defaultSampleType) ? str(profile.defaultSampleType, 'default_sample_type') : '';
  // pprof's rule: the named default type, else the last one.
  const named = sampleTypes.findIndex((t) => t.type === defaultName);
  const builder = new ProfileBuilder({
    format: 'pprof',
    sampleTypes,
    defaultSampleType: named >= 0 ? named : sampleTypes.length - 1,
    startTimeUnixNano: String(profile.timeNanos ?? 0),
    durationNanos: String(profile.durationNanos ?? 0),
    periodType: profile.periodType ? { type: str(profile.periodType.type, 'period_type'), unit: str(profile.periodType.unit, 'period_type') } : undefined,
    period: Number(profile.period ?? 0) || undefined,
  });

  const functions = new Map<number, { name: string; file: string; startLine: number }>();
  for (const f of profile.function) {
    functions.set(Number(f.id), { name: str(f.name, `function ${f.id}`), file: str(f.filename, `function ${f.id}`), startLine: Number(f.startLine) });
  }
  const mappings = new Map<number, string>();
  for (const m of profile.mapping) mappings.set(Number(m.id), str(m.filename, `mapping ${m.id}`));

  // Frames of each location, root first (the reverse of its Line list).
  const locationFrames = new Map<number, number[]>();
  for (const location of profile.location) {
    locationFrames.set(Number(location.id), framesOf(location, functions, mappings).map((f) => builder.frame(f)).reverse());
  }

  const types = sampleTypes.length;
  const values = new Float64Array(types);
  const rootFirst: number[] = [];
  profile.sample.forEach((sample, i) => {
    if (sample.value.length !== types) {
      throw new ProfileDecodeError('pprof', `sample ${i} has ${sample.value.length} values for ${types} sample types`);
    }
    rootFirst.length = 0;
    for (let l = sample.locationId.length - 1; l >= 0; l--) {
      const frames = locationFrames.get(Number(sample.locationId[l]));
      if (!frames) throw new ProfileDecodeError('pprof', `sample ${i} refers to location ${sample.locationId[l]}, which the profile does not define`);
      for (const f of frames) rootFirst.push(f);
    }
    for (let t = 0; t < types; t++) values[t] = Number(sample.value[t]);
    const labels: string[] = [];
    for (const label of sample.label) {
      const key = str(label.key, `a label of sample ${i}`);
      if (Number(label.str)) labels.push(key, str(label.str, `label ${key}`));
      else {
        const unit = Number(label.numUnit) ? str(label.numUnit, `label ${key}`) : '';
        labels.push(key, unit ? `${label.num} ${unit}` : String(label.num));
      }
    }
    builder.sample(builder.stackOf(rootFirst), values, undefined, labels.length ? labels.map(normalizeLabelKey) : undefined);
  });
  return builder.finish();
}

/** The location's frames innermost first; unsymbolized ones are named by mapping file + address. */
function framesOf(location: Location, functions: Map<number, { name: string; file: string; startLine: number }>, mappings: Map<number, string>): FrameInput[] {
  const frames: FrameInput[] = [];
  for (const line of location.line) {
    const fn = functions.get(Number(line.functionId));
    if (!fn) throw new ProfileDecodeError('pprof', `location ${location.id} refers to function ${line.functionId}, which the profile does not define`);
    frames.push({
      function: fn.name || `(unnamed function ${line.functionId})`,
      file: fn.file,
      line: Math.max(0, Number(line.line)),
      column: Math.max(0, Number(line.column ?? 0)),
      kind: goFrameKind(fn.name),
    });
  }
  if (frames.length === 0) {
    const file = mappings.get(Number(location.mappingId)) ?? '';
    const address = `0x${BigInt(location.address).toString(16)}`;
    frames.push({ function: file ? `${baseName(file)} ${address}` : address, file, line: 0, column: 0, kind: FrameKind.Native });
  }
  return frames;
}

function goFrameKind(name: string): FrameKindValue {
  if (name === 'runtime._GC' || name.startsWith('runtime.gcBgMarkWorker') || name === 'runtime.bgsweep' || name === 'runtime.bgscavenge') return FrameKind.GarbageCollector;
  if (name === 'runtime._System' || name === 'runtime._ExternalCode') return FrameKind.Program;
  if (name === 'runtime.idle' || name === 'runtime._Idle') return FrameKind.Idle;
  return FrameKind.Code;
}

// Tracers spell the span-correlation labels differently; the model has one spelling.
const LABEL_KEYS: Record<string, string> = { 'trace id': 'trace_id', traceId: 'trace_id', 'span id': 'span_id', spanId: 'span_id' };

function normalizeLabelKey(s: string, index: number): string {
  return index % 2 === 0 ? LABEL_KEYS[s] ?? s : s;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
