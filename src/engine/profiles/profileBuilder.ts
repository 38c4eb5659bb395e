// Every decoder feeds its samples through one builder, which interns strings, frames
// and stacks into the compact form (src/protocol/profile.ts). Decoders only say what a
// frame is and which frames a sample holds; the prefix tree and the tables are built here.

import type { CompactProfile, ProfileFormat, ProfileSummary, SampleType } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import { Interner } from '../store/interner.ts';
import { GrowableArray } from './growableArray.ts';
import { PairTable } from './pairTable.ts';
import { mergeSampleRuns } from './sampleRuns.ts';

export type FrameKindValue = (typeof FrameKind)[keyof typeof FrameKind];

export interface FrameInput {
  function: string;
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  kind: FrameKindValue;
}

/** The summary fields a decoder knows; the store fills in id, name and source. */
export interface ProfileHeader {
  format: ProfileFormat;
  sampleTypes: SampleType[];
  defaultSampleType: number;
  startTimeUnixNano: string;
  durationNanos: string;
  service?: string;
  periodType?: SampleType;
  period?: number;
}

/** Summaries list at most this many trace ids; the store keeps them all for filtering. */
export const SUMMARY_TRACE_IDS = 300;

/** Limits that keep every index inside an Int32 (and a profile inside memory). */
const MAX_FRAMES = 2 ** 26;
const MAX_STACKS = 2 ** 27;
/** Largest column the frame tables key on (it shares an Int32 key with the kind). */
const MAX_TABLE_COLUMN = 2 ** 28 - 1;

export class ProfileBuilder {
  private readonly strings = new Interner();
  /** Frames by (function, file) → (…, line) → (…, column and kind): integer tables, no key string per lookup. */
  private readonly frameFileIds: PairTable;
  private readonly frameLineIds: PairTable;
  private readonly frameIds: PairTable;
  /** Frames whose line or column do not fit those tables' integers. */
  private readonly outsizedFrameIds = new Map<string, number>();
  private readonly frameFunction = new GrowableArray(Uint32Array);
  private readonly frameFile = new GrowableArray(Uint32Array);
  private readonly frameLine = new GrowableArray(Uint32Array);
  private readonly frameColumn = new GrowableArray(Uint32Array);
  private readonly frameKind = new GrowableArray(Uint8Array);
  private readonly stackIds: PairTable;
  private readonly stackParent = new GrowableArray(Int32Array);
  private readonly stackFrame = new GrowableArray(Uint32Array);
  private readonly sampleStack = new GrowableArray(Uint32Array, 65536);
  private readonly sampleValues = new GrowableArray(Float64Array, 65536);
  private readonly sampleTimeMs = new GrowableArray(Float64Array);
  /** Filled only once a sample has labels (then back to the first sample): most profiles have none. */
  private readonly sampleLabelStart = new GrowableArray(Uint32Array);
  private labelled = false;
  private readonly labelKey = new GrowableArray(Uint32Array);
  private readonly labelValue = new GrowableArray(Uint32Array);
  private readonly traceIds = new Set<string>();
  private readonly typeCount: number;

  /**
   * `expectedStacks`, `expectedFrames`: about how many there will be (a V8 profile's node
   * count for both), so the tables need not grow step by step, rehashing at each.
   */
  constructor(private readonly header: ProfileHeader, expectedStacks = 4096, expectedFrames = 1024) {
    this.stackIds = new PairTable(Math.min(Math.max(expectedStacks, 16), 1 << 22));
    const frames = Math.min(Math.max(expectedFrames, 16), 1 << 22);
    this.frameFileIds = new PairTable(frames);
    this.frameLineIds = new PairTable(frames);
    this.frameIds = new PairTable(frames);
    this.strings.id(''); // string 0 is always ""
    this.sampleLabelStart.push(0);
    this.typeCount = header.sampleTypes.length;
    if (this.typeCount === 0) throw new Error('a profile needs at least one sample type');
  }

  string(s: string): number {
    return this.strings.id(s);
  }

  frame(f: FrameInput): number {
    const fn = this.string(f.function);
    const file = this.string(f.file);
    return this.frameOfStrings(fn, file, f.line, f.column, f.kind);
  }

  /** A frame by already-interned strings, e.g. a decoder's table entry read once. */
  frameOfStrings(fn: number, file: number, line: number, column: number, kind: FrameKindValue): number {
    // Whole numbers in range only: the tables' Int32 keys would fold others together.
    if (!(line >= 0 && line === (line | 0) && column === (column & MAX_TABLE_COLUMN))) {
      const key = `${fn}:${file}:${line}:${column}:${kind}`;
      const known = this.outsizedFrameIds.get(key);
      if (known !== undefined) return known;
      const id = this.newFrame(fn, file, line, column, kind);
      this.outsizedFrameIds.set(key, id);
      return id;
    }
    let fnFile = this.frameFileIds.get(fn, file);
    if (fnFile < 0) this.frameFileIds.set(fn, file, fnFile = this.frameFileIds.size);
    let fnLine = this.frameLineIds.get(fnFile, line);
    if (fnLine < 0) this.frameLineIds.set(fnFile, line, fnLine = this.frameLineIds.size);
    const rest = column * 8 + kind;
    let id = this.frameIds.get(fnLine, rest);
    if (id < 0) {
      id = this.newFrame(fn, file, line, column, kind);
      this.frameIds.set(fnLine, rest, id);
    }
    return id;
  }

  private newFrame(fn: number, file: number, line: number, column: number, kind: FrameKindValue): number {
    const id = this.frameFunction.length;
    if (id >= MAX_FRAMES) throw new Error(`more than ${MAX_FRAMES} distinct frames`);
    this.frameFunction.push(fn);
    this.frameFile.push(file);
    this.frameLine.push(line);
    this.frameColumn.push(column);
    this.frameKind.push(kind);
    return id;
  }

  /** The stack of `frame` called from stack `parent` (-1 for a root frame). */
  stack(parent: number, frame: number): number {
    let id = this.stackIds.get(parent + 1, frame);
    if (id < 0) {
      id = this.stackParent.length;
      if (id >= MAX_STACKS) throw new Error(`more than ${MAX_STACKS} distinct stacks`);
      this.stackIds.set(parent + 1, frame, id);
      this.stackParent.push(parent);
      this.stackFrame.push(frame);
    }
    return id;
  }

  /** The stack for frames given root first. Returns -1 for an empty list. */
  stackOf(framesRootFirst: ArrayLike<number>): number {
    let stack = -1;
    for (let i = 0; i < framesRootFirst.length; i++) stack = this.stack(stack, framesRootFirst[i]);
    return stack;
  }

  /**
   * Adds a sample: `values` has one entry per sample type. `labels` alternates key and
   * value strings. A sample with no frames (stack -1) is kept under a `(no frames)` root
   * so that totals still add up.
   */
  sample(stack: number, values: ArrayLike<number>, timeMs?: number, labels?: readonly string[]): void {
    if (stack < 0) stack = this.stack(-1, this.frame({ function: '(no frames)', file: '', line: 0, column: 0, kind: FrameKind.Program }));
    this.sampleStack.push(stack);
    const out = this.sampleValues;
    out.reserve(this.typeCount);
    for (let t = 0; t < this.typeCount; t++) {
      const v = values[t];
      out.pushUnchecked(typeof v === 'number' && Number.isFinite(v) ? v : 0);
    }
    if (timeMs !== undefined) this.sampleTimeMs.push(timeMs);
    if (labels && labels.length >= 2 && !this.labelled) {
      // Every earlier sample ends its (empty) label range at 0.
      this.labelled = true;
      this.sampleLabelStart.appendRepeated(0, this.sampleStack.length - 1);
    }
    if (labels) {
      for (let j = 0; j + 1 < labels.length; j += 2) {
        const key = this.string(labels[j]);
        this.labelKey.push(key);
        this.labelValue.push(this.string(labels[j + 1]));
        if (labels[j] === 'trace_id' && labels[j + 1]) this.traceIds.add(labels[j + 1]);
      }
    }
    if (this.labelled) this.sampleLabelStart.push(this.labelKey.length);
  }

  /** Many unlabelled samples at once: `values` sample-major (`stacks.length × types`; non-finite ones become 0 in place), `timesMs` one per sample. */
  samples(stacks: Uint32Array<ArrayBuffer>, values: Float64Array<ArrayBuffer>, timesMs?: Float64Array<ArrayBuffer>): void {
    const n = stacks.length;
    if (values.length !== n * this.typeCount) throw new Error(`${values.length} values for ${n} samples of ${this.typeCount} types`);
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = 0;
    this.sampleStack.append(stacks);
    this.sampleValues.append(values);
    if (this.labelled) this.sampleLabelStart.appendRepeated(this.labelKey.length, n);
    if (timesMs) this.sampleTimeMs.append(timesMs);
  }

  get sampleCount(): number {
    return this.sampleStack.length;
  }

  /** Samples the rows stand for beyond one each (a merged profile's inputs already hold runs). */
  extraSamples = 0;

  finish(): CompactProfile {
    const n = this.sampleStack.length;
    const hasLabels = this.labelKey.length > 0;
    // Times only when every sample has one: a partial column could not be indexed by sample.
    const hasTimes = this.sampleTimeMs.length === n && n > 0;
    const rows = mergeSampleRuns({
      stacks: this.sampleStack.view(),
      values: this.sampleValues.view(),
      timesMs: hasTimes ? this.sampleTimeMs.view() : new Float64Array(0),
      labelStart: hasLabels ? this.sampleLabelStart.view() : new Uint32Array(0),
    }, this.typeCount);
    return {
      summary: this.summary(n),
      ...this.tables(),
      sampleStack: tight(rows.stacks),
      sampleValues: tight(rows.values),
      sampleTimeMs: tight(rows.timesMs),
      sampleLabelStart: tight(rows.labelStart),
      labelKey: this.labelKey.view(),
      labelValue: this.labelValue.view(),
    };
  }

  /**
   * The samples-by-stack form (src/engine/profiles/samplesByStack.ts) of `sampleCount`
   * unlabelled, timed samples not added yet, from their value sums per stack
   * (`sums[stack * types + type]`, type 0 a count: a stack with samples is a row);
   * the tables are copied, the builder goes on.
   */
  byStackForm(sampleCount: number, sums: Float64Array): CompactProfile {
    const types = this.typeCount;
    const stacks = this.stackParent.length;
    let rows = 0;
    for (let s = 0; s < stacks; s++) if (sums[s * types] > 0) rows++;
    const sampleStack = new Uint32Array(rows);
    const sampleValues = new Float64Array(rows * types);
    for (let s = 0, r = 0; s < stacks; s++) {
      if (!(sums[s * types] > 0)) continue;
      sampleStack[r] = s;
      sampleValues.set(sums.subarray(s * types, (s + 1) * types), r * types);
      r++;
    }
    const tables = this.tables();
    return {
      summary: { ...this.summary(sampleCount), hasSampleTimes: sampleCount > 0 },
      strings: tables.strings.slice(),
      frameFunction: tables.frameFunction.slice(),
      frameFile: tables.frameFile.slice(),
      frameLine: tables.frameLine.slice(),
      frameColumn: tables.frameColumn.slice(),
      frameKind: tables.frameKind.slice(),
      stackParent: tables.stackParent.slice(),
      stackFrame: tables.stackFrame.slice(),
      sampleStack,
      sampleValues,
      sampleTimeMs: new Float64Array(0),
      sampleLabelStart: new Uint32Array(0),
      labelKey: new Uint32Array(0),
      labelValue: new Uint32Array(0),
    };
  }

  private tables(): Pick<CompactProfile, 'strings' | 'frameFunction' | 'frameFile' | 'frameLine' | 'frameColumn' | 'frameKind' | 'stackParent' | 'stackFrame'> {
    return {
      strings: this.strings.values,
      frameFunction: this.frameFunction.view(),
      frameFile: this.frameFile.view(),
      frameLine: this.frameLine.view(),
      frameColumn: this.frameColumn.view(),
      frameKind: this.frameKind.view(),
      stackParent: this.stackParent.view(),
      stackFrame: this.stackFrame.view(),
    };
  }

  private summary(n: number): ProfileSummary {
    const summary: ProfileSummary = {
      id: '',
      name: '',
      source: 'file',
      format: this.header.format,
      sampleTypes: this.header.sampleTypes,
      defaultSampleType: Math.min(Math.max(this.header.defaultSampleType, 0), this.typeCount - 1),
      startTimeUnixNano: this.header.startTimeUnixNano,
      durationNanos: this.header.durationNanos,
      service: this.header.service ?? '',
      sampleCount: n + this.extraSamples,
      traceIds: [...this.traceIds].slice(0, SUMMARY_TRACE_IDS),
    };
    if (this.header.periodType) summary.periodType = this.header.periodType;
    if (this.header.period !== undefined) summary.period = this.header.period;
    return summary;
  }
}

/** A view that holds on to much more than it shows is copied out, so memory counts stay true. */
function tight<T extends Uint32Array | Float64Array>(a: T): T {
  return a.length * 4 >= (a.buffer.byteLength / a.BYTES_PER_ELEMENT) * 3 ? a : (a.slice() as T);
}
