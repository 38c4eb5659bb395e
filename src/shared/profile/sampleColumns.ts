// The per-sample columns of the compact profile (values and times) packed for the wire:
// most are small whole numbers, constants or evenly spaced times, and as Float64 they
// made the compact form larger than the file it came from (3.2M samples of a 50 MB
// .cpuprofile: 89 MB). Each column takes the smallest form that gives back exactly the
// same numbers, checked value by value here, else stays Float64.

/**
 * How one column is stored: `const` (every value the header's `value`), `uint` (whole
 * numbers of `bytes` 1, 2 or 4 each), `f64`, or `delta` (times: steps of 1/1000 from
 * `base`, `bytes` each).
 */
export type ColumnCoding =
  | { kind: 'const'; value: number }
  | { kind: 'uint'; bytes: 1 | 2 | 4 }
  | { kind: 'f64' }
  | { kind: 'delta'; base: number; bytes: 1 | 2 | 4 };

type Stored = Uint8Array | Uint16Array | Uint32Array | Float64Array;

export interface PackedColumn {
  coding: ColumnCoding;
  /** Nothing for `const`. */
  data: Stored | undefined;
}

const U32_LIMIT = 2 ** 32;

/** The fewest bytes that hold whole numbers up to `max`. */
function widthFor(max: number): 1 | 2 | 4 {
  return max < 256 ? 1 : max < 65536 ? 2 : 4;
}

function uintArray(bytes: 1 | 2 | 4, n: number): Uint8Array | Uint16Array | Uint32Array {
  return bytes === 1 ? new Uint8Array(n) : bytes === 2 ? new Uint16Array(n) : new Uint32Array(n);
}

/** Column `t` of `types` interleaved columns (sample-major values), or the whole array when `types` is 1. */
export function packValues(values: Float64Array, types: number, t: number): PackedColumn {
  const n = types > 0 ? Math.floor(values.length / types) : 0;
  const first = n > 0 ? values[t] : 0;
  let constant = Number.isFinite(first) && !isNegativeZero(first);
  let whole = true;
  let max = 0;
  for (let i = 0, at = t; i < n; i++, at += types) {
    const v = values[at];
    if (v !== first) constant = false;
    if (!(v >= 0 && v < U32_LIMIT && Math.floor(v) === v) || isNegativeZero(v)) whole = false;
    else if (v > max) max = v;
    if (!constant && !whole) break;
  }
  if (constant) return { coding: { kind: 'const', value: first }, data: undefined };
  const bytes = widthFor(max);
  const data = whole ? uintArray(bytes, n) : new Float64Array(n);
  for (let i = 0, at = t; i < n; i++, at += types) data[i] = values[at];
  return { coding: whole ? { kind: 'uint', bytes } : { kind: 'f64' }, data };
}

/** Sample times (ms) as Uint32 steps of a microsecond when every one comes back exactly; else as they are. */
export function packTimes(times: Float64Array): PackedColumn {
  const n = times.length;
  if (n === 0) return { coding: { kind: 'const', value: 0 }, data: undefined };
  const base = Math.round(times[0] * 1000);
  const steps = new Uint32Array(n);
  let ok = Number.isSafeInteger(base);
  let at = base;
  let max = 0;
  for (let i = 0; i < n && ok; i++) {
    const q = Math.round(times[i] * 1000);
    const step = q - at;
    // The reader adds the steps up and divides by 1000: keep the column only if that gives each time back bit for bit.
    if (!Number.isSafeInteger(q) || step < 0 || step >= U32_LIMIT || q / 1000 !== times[i] || isNegativeZero(times[i])) ok = false;
    steps[i] = step;
    if (step > max) max = step;
    at = q;
  }
  if (!ok) return { coding: { kind: 'f64' }, data: times };
  const bytes = widthFor(max);
  if (bytes === 4) return { coding: { kind: 'delta', base, bytes }, data: steps };
  const narrow = uintArray(bytes, n);
  narrow.set(steps);
  return { coding: { kind: 'delta', base, bytes }, data: narrow };
}

/** The element type a coding is stored as (none for `const`). */
export function storedType(coding: ColumnCoding): typeof Uint8Array | typeof Uint16Array | typeof Uint32Array | typeof Float64Array | undefined {
  if (coding.kind === 'uint' || coding.kind === 'delta') return coding.bytes === 1 ? Uint8Array : coding.bytes === 2 ? Uint16Array : Uint32Array;
  return coding.kind === 'f64' ? Float64Array : undefined;
}

/** Writes column `t` of `out` (sample-major, `types` columns) from its packed form. */
export function unpackValues(coding: ColumnCoding, data: ArrayLike<number> | undefined, out: Float64Array, types: number, t: number, n: number): void {
  if (coding.kind === 'const') {
    for (let i = 0, at = t; i < n; i++, at += types) out[at] = coding.value;
    return;
  }
  for (let i = 0, at = t; i < n; i++, at += types) out[at] = data![i];
}

export function unpackTimes(coding: ColumnCoding, data: ArrayLike<number> | undefined, n: number): Float64Array {
  const out = new Float64Array(n);
  if (coding.kind === 'delta') {
    let at = coding.base;
    for (let i = 0; i < n; i++) {
      at += data![i];
      out[i] = at / 1000;
    }
  } else if (coding.kind === 'const') out.fill(coding.value);
  else out.set(data!);
  return out;
}

function isNegativeZero(v: number): boolean {
  return v === 0 && 1 / v < 0;
}
