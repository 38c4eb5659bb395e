// pprof (profile.proto, gzip already removed) → the compact profile. Read straight off
// the wire in two passes: the tables first (samples may come before the locations and
// strings they name, as Go writes them), then each sample into the builder, with no
// object per sample. A location's Line list is innermost first, so frames are read in
// reverse to go root first.

import { FrameKind } from '../../protocol/profile.ts';
import type { CompactProfile, SampleType } from '../../protocol/profile.ts';
import { enter, leave, nested } from '../otlp/protobuf/message.ts';
import { DecodeError, WireReader } from '../otlp/protobuf/wire.ts';
import { GrowableArray } from './growableArray.ts';
import { ProfileBuilder, type FrameKindValue } from './profileBuilder.ts';
import { ProfileDecodeError } from './profileError.ts';

interface PprofFunction { name: number; systemName: number; filename: number }
interface PprofLine { functionId: number; line: number; column: number }
interface PprofLocation { id: number; mappingId: number; address: number; lines: PprofLine[] }

interface Tables {
  sampleTypes: [number, number][];
  sampleRanges: number[];
  mappings: Map<number, number>;
  locations: PprofLocation[];
  functions: Map<number, PprofFunction>;
  strings: string[];
  timeNanos: number;
  durationNanos: number;
  periodType?: [number, number];
  period: number;
  defaultSampleType: number;
}

export function decodePprof(bytes: Uint8Array): CompactProfile {
  try {
    return decode(WireReader.of(bytes));
  } catch (err) {
    if (err instanceof DecodeError) throw new ProfileDecodeError('pprof', `the protobuf is damaged or truncated (${err.message})`);
    throw err;
  }
}

function decode(r: WireReader): CompactProfile {
  const t = readTables(r);
  const str = (i: number, what: string): string => {
    if (!(i >= 0 && i < t.strings.length)) throw new ProfileDecodeError('pprof', `${what} names string ${i}, but the string table has ${t.strings.length} entries`);
    return t.strings[i];
  };
  if (t.sampleTypes.length === 0) throw new ProfileDecodeError('pprof', 'it has no sample types (is this really a pprof file?)');
  const sampleTypes: SampleType[] = t.sampleTypes.map(([type, unit], i) => ({ type: str(type, `sample type ${i}`), unit: str(unit, `sample type ${i}`) }));
  const defaultName = t.defaultSampleType ? str(t.defaultSampleType, 'default_sample_type') : '';
  // pprof's rule: the named default type, else the last one.
  const named = sampleTypes.findIndex((s) => s.type === defaultName);
  const builder = new ProfileBuilder({
    format: 'pprof',
    sampleTypes,
    defaultSampleType: named >= 0 ? named : sampleTypes.length - 1,
    startTimeUnixNano: String(t.timeNanos),
    durationNanos: String(t.durationNanos),
    periodType: t.periodType && { type: str(t.periodType[0], 'period_type'), unit: str(t.periodType[1], 'period_type') },
    period: t.period || undefined,
  }, t.sampleRanges.length / 2);

  // Each function's name, file and kind interned once, then each location's frames,
  // root first, as a slice of one flat array; locations by id.
  const interned = new Map<number, { name: number; file: number; kind: FrameKindValue }>();
  const functionOf = (id: number) => {
    let f = interned.get(id);
    if (!f) {
      const fn = t.functions.get(id);
      if (!fn) return undefined;
      const name = str(fn.name, `function ${id}`) || str(fn.systemName, `function ${id}`);
      f = { name: builder.string(name || `(unnamed function ${id})`), file: builder.string(str(fn.filename, `function ${id}`)), kind: goFrameKind(name) };
      interned.set(id, f);
    }
    return f;
  };
  const frameStart = new Int32Array(t.locations.length + 1);
  const frames = new GrowableArray(Uint32Array, t.locations.length + 16);
  const locationIndex = new LocationIndex(t.locations);
  t.locations.forEach((location, i) => {
    for (let l = location.lines.length - 1; l >= 0; l--) {
      const line = location.lines[l];
      const fn = functionOf(line.functionId);
      if (!fn) throw new ProfileDecodeError('pprof', `location ${location.id} refers to function ${line.functionId}, which the profile does not define`);
      frames.push(builder.frameOfStrings(fn.name, fn.file, Math.max(0, line.line), Math.max(0, line.column), fn.kind));
    }
    if (location.lines.length === 0) {
      const file = str(t.mappings.get(location.mappingId) ?? 0, `mapping ${location.mappingId}`);
      const address = `0x${location.address.toString(16)}`;
      frames.push(builder.frame({ function: file ? `${baseName(file)} ${address}` : address, file, line: 0, column: 0, kind: FrameKind.Native }));
    }
    frameStart[i + 1] = frames.length;
  });
  const frameOf = frames.view();

  const types = sampleTypes.length;
  const values = new Float64Array(types);
  const locationIds = new PackedIds();
  const previous = new PreviousPath();
  const labels: string[] = [];
  const buf = r.buf;
  for (let s = 0; s < t.sampleRanges.length; s += 2) {
    const i = s / 2;
    r.pos = t.sampleRanges[s];
    r.end = t.sampleRanges[s + 1];
    locationIds.length = 0;
    labels.length = 0;
    let valueCount = 0;
    while (r.pos < r.end) {
      const tag = r.tag();
      switch (tag) {
        case 8: locationIds.push(r.uint32()); break;
        case 10: {
          const end = r.delimitedEnd();
          r.pos = locationIds.readPacked(buf, r.pos, end);
          break;
        }
        case 16: if (valueCount < types) values[valueCount] = r.int64Number(); valueCount++; break;
        case 18: {
          const outer = enter(r);
          while (r.pos < r.end) {
            const v = r.int64Number();
            if (valueCount < types) values[valueCount] = v;
            valueCount++;
          }
          leave(r, outer);
          break;
        }
        case 26: nested(r, (lr) => readLabel(lr, labels, str)); break;
        default: r.skip(tag & 7);
      }
    }
    if (valueCount !== types) throw new ProfileDecodeError('pprof', `sample ${i} has ${valueCount} values for ${types} sample types`);
    const ids = locationIds.ids;
    const depth = locationIds.length;
    // The locations this sample shares, from the root, with the one before it keep that
    // one's stacks: samples near each other often share most of their path.
    let same = 0;
    while (same < depth && same < previous.length && previous.ids[same] === ids[depth - 1 - same]) same++;
    let stack = same > 0 ? previous.stacks[same - 1] : -1;
    previous.reserve(depth);
    for (let at = same; at < depth; at++) {
      const id = ids[depth - 1 - at];
      const index = locationIndex.get(id);
      if (index < 0) throw new ProfileDecodeError('pprof', `sample ${i} refers to location ${id}, which the profile does not define`);
      for (let f = frameStart[index]; f < frameStart[index + 1]; f++) stack = builder.stack(stack, frameOf[f]);
      previous.ids[at] = id;
      previous.stacks[at] = stack;
    }
    previous.length = depth;
    builder.sample(stack, values, undefined, labels.length ? labels : undefined);
  }
  return builder.finish();
}

/**
 * A sample's location ids, read from the packed field without the general reader:
 * millions of them per large profile. Exact up to 2^53, as the rest of the decoder.
 */
class PackedIds {
  ids = new Float64Array(256);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) this.grow();
    this.ids[this.length++] = id;
  }

  /** Reads varints from `pos` to `end`; returns `end`. */
  readPacked(buf: Uint8Array, pos: number, end: number): number {
    while (pos < end) {
      let b = buf[pos++];
      let v = b & 0x7f;
      let shift = 7;
      while (b >= 0x80) {
        if (pos >= end) throw new DecodeError(`a packed location id runs past the end of its sample at byte ${pos}`);
        b = buf[pos++];
        if (shift < 53) v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      }
      this.push(v);
    }
    return end;
  }

  private grow(): void {
    const next = new Float64Array(this.ids.length * 2);
    next.set(this.ids);
    this.ids = next;
  }
}

/** The last sample's location ids root first, and the stack each one ends. */
class PreviousPath {
  ids = new Float64Array(256);
  stacks = new Int32Array(256);
  length = 0;

  reserve(n: number): void {
    if (n <= this.ids.length) return;
    let size = this.ids.length * 2;
    while (size < n) size *= 2;
    const ids = new Float64Array(size), stacks = new Int32Array(size);
    ids.set(this.ids);
    stacks.set(this.stacks);
    this.ids = ids;
    this.stacks = stacks;
  }
}

/** Location id → index: an array when ids are dense (Go numbers them 1…n), else a map. */
class LocationIndex {
  private readonly dense?: Int32Array;
  private readonly sparse?: Map<number, number>;

  constructor(locations: readonly PprofLocation[]) {
    let max = 0;
    for (const l of locations) max = Math.max(max, l.id);
    if (max <= locations.length * 4 + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      locations.forEach((l, i) => { this.dense![l.id] = i; });
    } else {
      this.sparse = new Map(locations.map((l, i) => [l.id, i]));
    }
  }

  get(id: number): number {
    if (this.dense) return id < this.dense.length ? this.dense[id] : -1;
    return this.sparse!.get(id) ?? -1;
  }
}

function readTables(r: WireReader): Tables {
  const t: Tables = {
    sampleTypes: [], sampleRanges: [], mappings: new Map(), locations: [], functions: new Map(), strings: [],
    timeNanos: 0, durationNanos: 0, period: 0, defaultSampleType: 0,
  };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: t.sampleTypes.push(nested(r, readValueType)); break;
      case 18: {
        const end = r.delimitedEnd();
        t.sampleRanges.push(r.pos, end);
        r.pos = end;
        break;
      }
      case 26: nested(r, (m) => readMapping(m, t.mappings)); break;
      case 34: t.locations.push(nested(r, readLocation)); break;
      case 42: nested(r, (f) => readFunction(f, t.functions)); break;
      case 50: t.strings.push(r.string()); break;
      case 72: t.timeNanos = r.int64Number(); break;
      case 80: t.durationNanos = r.int64Number(); break;
      case 90: t.periodType = nested(r, readValueType); break;
      case 96: t.period = r.int64Number(); break;
      case 112: t.defaultSampleType = r.uint64Number(); break;
      default: r.skip(tag & 7); // drop_frames, keep_frames, comment, doc_url: not shown
    }
  }
  return t;
}

function readValueType(r: WireReader): [number, number] {
  const v: [number, number] = [0, 0];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 8) v[0] = r.uint64Number();
    else if (tag === 16) v[1] = r.uint64Number();
    else r.skip(tag & 7);
  }
  return v;
}

function readMapping(r: WireReader, mappings: Map<number, number>): void {
  let id = 0;
  let filename = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 8) id = r.uint64Number();
    else if (tag === 40) filename = r.uint64Number();
    else r.skip(tag & 7);
  }
  mappings.set(id, filename);
}

function readLocation(r: WireReader): PprofLocation {
  const location: PprofLocation = { id: 0, mappingId: 0, address: 0, lines: [] };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: location.id = r.uint64Number(); break;
      case 16: location.mappingId = r.uint64Number(); break;
      case 24: location.address = r.uint64Number(); break;
      case 34: location.lines.push(nested(r, readLine)); break;
      default: r.skip(tag & 7);
    }
  }
  return location;
}

function readLine(r: WireReader): PprofLine {
  const line: PprofLine = { functionId: 0, line: 0, column: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 8) line.functionId = r.uint64Number();
    else if (tag === 16) line.line = r.int64Number();
    else if (tag === 24) line.column = r.int64Number();
    else r.skip(tag & 7);
  }
  return line;
}

function readFunction(r: WireReader, functions: Map<number, PprofFunction>): void {
  let id = 0;
  const fn: PprofFunction = { name: 0, systemName: 0, filename: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: id = r.uint64Number(); break;
      case 16: fn.name = r.int64Number(); break;
      case 24: fn.systemName = r.int64Number(); break;
      case 32: fn.filename = r.int64Number(); break;
      default: r.skip(tag & 7);
    }
  }
  functions.set(id, fn);
}

// Tracers spell the span-correlation labels differently; the model has one spelling.
const LABEL_KEYS: Record<string, string> = { 'trace id': 'trace_id', traceId: 'trace_id', 'span id': 'span_id', spanId: 'span_id' };

/** A Label: a string value, or a number with an optional unit. */
function readLabel(r: WireReader, out: string[], str: (i: number, what: string) => string): void {
  let key = 0, text = 0, num = 0, unit = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: key = r.int64Number(); break;
      case 16: text = r.int64Number(); break;
      case 24: num = r.int64Number(); break;
      case 32: unit = r.int64Number(); break;
      default: r.skip(tag & 7);
    }
  }
  const name = str(key, 'a sample label');
  out.push(LABEL_KEYS[name] ?? name);
  if (text) out.push(str(text, `label ${name}`));
  else {
    const unitName = unit ? str(unit, `label ${name}`) : '';
    out.push(unitName ? `${num} ${unitName}` : String(num));
  }
}

function goFrameKind(name: string): FrameKindValue {
  if (name === 'runtime._GC' || name.startsWith('runtime.gcBgMarkWorker') || name === 'runtime.bgsweep' || name === 'runtime.bgscavenge') return FrameKind.GarbageCollector;
  if (name === 'runtime._System' || name === 'runtime._ExternalCode') return FrameKind.Program;
  if (name === 'runtime.idle' || name === 'runtime._Idle') return FrameKind.Idle;
  return FrameKind.Code;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
