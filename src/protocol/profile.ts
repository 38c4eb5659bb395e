// A decoded profile in the compact form every consumer shares: the engine's profile API,
// the flamegraph (browser page, webview panel, custom editor) and the extension's
// decorations. Typed arrays, not objects per frame, so a 50 MB profile stays small and
// crosses to a webview as transferred ArrayBuffers (src/shared/profile/codec.ts).

export type ProfileSource = 'otlp' | 'capture' | 'file' | 'import';
export type ProfileFormat = 'pprof' | 'cpuprofile' | 'heapprofile' | 'folded' | 'otlp';

export interface SampleType {
  /** e.g. `cpu`, `samples`, `alloc_space`, `inuse_objects`, `wall`. */
  type: string;
  /** e.g. `nanoseconds`, `count`, `bytes`. */
  unit: string;
}

/** What `GET /api/profiles` lists for each profile. */
export interface ProfileSummary {
  id: string;
  name: string;
  source: ProfileSource;
  format: ProfileFormat;
  sampleTypes: SampleType[];
  /** Index into `sampleTypes` of the type a viewer shows first (pprof's default_sample_type). */
  defaultSampleType: number;
  startTimeUnixNano: string;
  durationNanos: string;
  service: string;
  sampleCount: number;
  /** pprof's period_type and period (e.g. cpu/nanoseconds every 10000000), when the format has them. */
  periodType?: SampleType;
  period?: number;
  /** Trace ids that samples are tied to (pprof `trace_id` labels, OTLP links), at most a few hundred. */
  traceIds: string[];
  /** Read from the disk tier: memory had evicted it (or not loaded it back after a restart). */
  fromDisk?: true;
  /**
   * Set in the samples-by-stack form (`?samples=by-stack`), which has no times itself:
   * whether the whole profile's samples have times (the time-order view fetches it whole).
   */
  hasSampleTimes?: boolean;
}

/** How a frame is drawn and named apart from ordinary code (values of `frameKind`). */
export const FrameKind = {
  Code: 0,
  /** Native, kernel or unsymbolized (named by mapping file + address). */
  Native: 1,
  /** V8 `(idle)`, Go `runtime.idle`… */
  Idle: 2,
  /** V8 `(program)`, `(root)`. */
  Program: 3,
  /** `(garbage collector)`, Go `runtime.gcBgMarkWorker`… */
  GarbageCollector: 4,
} as const;

/**
 * Frames are the distinct (function, file, line, column, kind) of the profile, with
 * inlined frames already expanded. Stacks form a prefix tree: stack `i` is frame
 * `stackFrame[i]` called from stack `stackParent[i]` (-1 at a root), so a sample names
 * only its innermost stack. Strings are indices into `strings` (0 is always "").
 */
export interface CompactProfile {
  summary: ProfileSummary;
  strings: string[];
  frameFunction: Uint32Array;
  frameFile: Uint32Array;
  /** 1-based; 0 when unknown. */
  frameLine: Uint32Array;
  /** 1-based; 0 when unknown. */
  frameColumn: Uint32Array;
  frameKind: Uint8Array;
  stackParent: Int32Array;
  stackFrame: Uint32Array;
  /** The innermost stack of each sample. */
  sampleStack: Uint32Array;
  /** `sampleCount × sampleTypes.length` values, sample-major: sample i's type t is at i * types + t. */
  sampleValues: Float64Array;
  /** Unix ms of each sample when the format has them (cpuprofile deltas, OTLP timestamps), else empty. */
  sampleTimeMs: Float64Array;
  /**
   * Labels per sample (pprof string and numeric labels, OTLP attributes, span and trace
   * ids): `labelKey[j]`/`labelValue[j]` (string indices) for j in
   * `sampleLabelStart[i] … sampleLabelStart[i + 1] - 1`. Empty arrays when no sample has labels.
   */
  sampleLabelStart: Uint32Array;
  labelKey: Uint32Array;
  labelValue: Uint32Array;
}

/** One row of `GET /api/profiles/{id}/top`: shares are of the profile's total (0–1). */
export interface TopFunction {
  function: string;
  file: string;
  line: number;
  self: number;
  /** Counted once per stack that holds the function, as `go tool pprof -top -cum` does. */
  total: number;
  selfShare: number;
  totalShare: number;
}
