// Compact profiles written out by hand for the UI tests: stacks as lists of function
// names (root first) with their values, so each test reads as the profile it shows.

import { FrameKind, type CompactProfile, type SampleType } from '../../../protocol/profile.ts';

export interface FixtureSample {
  /** Root first, e.g. `['main', 'handle', 'parse']`; a name may be `name@file:line`. */
  stack: string[];
  values: number[] | number;
  labels?: Record<string, string>;
  timeMs?: number;
}

export interface FixtureOptions {
  id?: string;
  name?: string;
  sampleTypes?: SampleType[];
  traceIds?: string[];
}

export function compactProfile(samples: FixtureSample[], opts: FixtureOptions = {}): CompactProfile {
  const strings = [''];
  const stringIds = new Map<string, number>([['', 0]]);
  const str = (s: string) => {
    let id = stringIds.get(s);
    if (id === undefined) { id = strings.length; strings.push(s); stringIds.set(s, id); }
    return id;
  };
  const frames = new Map<string, number>();
  const frameFunction: number[] = [], frameFile: number[] = [], frameLine: number[] = [], frameKind: number[] = [];
  const frame = (spec: string) => {
    let id = frames.get(spec);
    if (id !== undefined) return id;
    const [fn, where = ''] = spec.split('@');
    const [file = '', line = '0'] = where.split(':');
    id = frameFunction.length;
    frames.set(spec, id);
    frameFunction.push(str(fn)); frameFile.push(str(file)); frameLine.push(Number(line)); frameKind.push(kindOf(fn));
    return id;
  };
  const stacks = new Map<string, number>();
  const stackParent: number[] = [], stackFrame: number[] = [];
  const stackOf = (path: string[]) => {
    let parent = -1;
    for (let i = 0; i < path.length; i++) {
      const key = `${parent}/${path[i]}`;
      let id = stacks.get(key);
      if (id === undefined) {
        id = stackParent.length;
        stacks.set(key, id);
        stackParent.push(parent);
        stackFrame.push(frame(path[i]));
      }
      parent = id;
    }
    return parent;
  };
  const sampleTypes = opts.sampleTypes ?? [{ type: 'cpu', unit: 'nanoseconds' }];
  const sampleStack: number[] = [], sampleValues: number[] = [], sampleTimeMs: number[] = [];
  const labelStart: number[] = [], labelKey: number[] = [], labelValue: number[] = [];
  const anyLabels = samples.some((s) => s.labels);
  for (const s of samples) {
    sampleStack.push(stackOf(s.stack));
    const values = Array.isArray(s.values) ? s.values : [s.values];
    for (let t = 0; t < sampleTypes.length; t++) sampleValues.push(values[t] ?? 0);
    if (s.timeMs !== undefined) sampleTimeMs.push(s.timeMs);
    labelStart.push(labelKey.length);
    for (const [k, v] of Object.entries(s.labels ?? {})) { labelKey.push(str(k)); labelValue.push(str(v)); }
  }
  labelStart.push(labelKey.length);
  return {
    summary: {
      id: opts.id ?? 'p1', name: opts.name ?? 'fixture.pb.gz', source: 'file', format: 'pprof', sampleTypes, defaultSampleType: 0,
      startTimeUnixNano: '1700000000000000000', durationNanos: '10000000000', service: 'shop', sampleCount: samples.length,
      traceIds: opts.traceIds ?? [],
    },
    strings,
    frameFunction: Uint32Array.from(frameFunction), frameFile: Uint32Array.from(frameFile), frameLine: Uint32Array.from(frameLine),
    frameColumn: new Uint32Array(frameFunction.length), frameKind: Uint8Array.from(frameKind),
    stackParent: Int32Array.from(stackParent), stackFrame: Uint32Array.from(stackFrame),
    sampleStack: Uint32Array.from(sampleStack), sampleValues: Float64Array.from(sampleValues),
    sampleTimeMs: Float64Array.from(sampleTimeMs.length === samples.length ? sampleTimeMs : []),
    sampleLabelStart: Uint32Array.from(anyLabels ? labelStart : []),
    labelKey: Uint32Array.from(labelKey), labelValue: Uint32Array.from(labelValue),
  };
}

function kindOf(fn: string): number {
  if (fn === '(idle)') return FrameKind.Idle;
  if (fn === '(program)' || fn === '(root)') return FrameKind.Program;
  if (fn === '(garbage collector)') return FrameKind.GarbageCollector;
  return FrameKind.Code;
}
