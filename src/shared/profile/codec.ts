// The compact profile as bytes (`GET /api/profiles/{id}` with `accept:
// application/octet-stream`, and the custom editor's message to its webview): a JSON
// header with the summary and the string table, then each typed array 8-byte aligned, so
// the reader views the arrays in place instead of copying or parsing them. The
// per-sample values and times, most of the bytes, are packed column by column
// (src/shared/profile/sampleColumns.ts) and unpacked by the reader.

import type { CompactProfile } from '../../protocol/profile.ts';
import { CompactFormatError } from '../compactFormatError.ts';
import { packTimes, packValues, storedType, unpackTimes, unpackValues, type ColumnCoding, type PackedColumn } from './sampleColumns.ts';

const MAGIC = 0x4c505246; // "LPRF"
const VERSION = 2;

const ARRAYS = [
  ['frameFunction', Uint32Array], ['frameFile', Uint32Array], ['frameLine', Uint32Array], ['frameColumn', Uint32Array],
  ['frameKind', Uint8Array], ['stackParent', Int32Array], ['stackFrame', Uint32Array], ['sampleStack', Uint32Array],
  ['sampleValues', Float64Array], ['sampleTimeMs', Float64Array], ['sampleLabelStart', Uint32Array],
  ['labelKey', Uint32Array], ['labelValue', Uint32Array],
] as const;

type ArrayName = (typeof ARRAYS)[number][0];

/** Written as packed columns after the other arrays, not as they are held. */
const PACKED: ReadonlySet<ArrayName> = new Set(['sampleValues', 'sampleTimeMs']);

export const PROFILE_MEDIA_TYPE = 'application/vnd.loupe.profile';

export function encodeCompactProfile(profile: CompactProfile): Uint8Array {
  // Columns by sample type; any count that divides the values gives them back in place, so a summary that does not fit them packs them as one.
  const declared = profile.summary.sampleTypes.length;
  const types = declared > 0 && profile.sampleValues.length % declared === 0 ? declared : 1;
  const columns: PackedColumn[] = [];
  for (let t = 0; t < types; t++) columns.push(packValues(profile.sampleValues, types, t));
  const times = packTimes(profile.sampleTimeMs);
  const header = new TextEncoder().encode(JSON.stringify({
    summary: profile.summary,
    strings: profile.strings,
    lengths: ARRAYS.map(([name]) => profile[name].length),
    values: columns.map((c) => c.coding),
    times: times.coding,
  }));
  const blocks: ArrayBufferView[] = [];
  for (const [name] of ARRAYS) if (!PACKED.has(name)) blocks.push(profile[name]);
  for (const c of [...columns, times]) if (c.data) blocks.push(c.data);
  let size = align(12 + header.length);
  for (const a of blocks) size = align(size + a.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  let at = align(12 + header.length);
  for (const a of blocks) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at = align(at + a.byteLength);
  }
  return out;
}

/** Views the arrays inside `bytes` (no copy when `bytes` starts 8-byte aligned); CompactFormatError for bytes that are not a compact profile. */
export function decodeCompactProfile(bytes: Uint8Array): CompactProfile {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || view.getUint32(0, true) !== MAGIC) throw new CompactFormatError('not a Loupe compact profile (bad magic)');
  if (view.getUint32(4, true) !== VERSION) throw new CompactFormatError(`compact profile version ${view.getUint32(4, true)}, expected ${VERSION}`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new CompactFormatError('compact profile truncated in its header');
  const header = readHeader(bytes.subarray(12, 12 + headerLength));
  const arrays = {} as Record<ArrayName, ArrayLike<number>>;
  let at = align(12 + headerLength);
  type View = new (b: ArrayBuffer, offset: number, length: number) => ArrayLike<number>;
  const take = (Type: View & { BYTES_PER_ELEMENT: number }, length: number, what: string): ArrayLike<number> => {
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (at + byteLength > bytes.length) throw new CompactFormatError(`compact profile truncated in ${what}`);
    const a = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length);
    at = align(at + byteLength);
    return a;
  };
  ARRAYS.forEach(([name, Type], i) => {
    if (!PACKED.has(name)) arrays[name] = take(Type, header.lengths[i], name);
  });
  const valueCount = header.lengths[ARRAYS.findIndex(([name]) => name === 'sampleValues')];
  const types = header.values.length;
  const samples = types > 0 ? valueCount / types : 0;
  if (!Number.isInteger(samples) || (types === 0 && valueCount > 0)) throw new CompactFormatError(`compact profile has ${valueCount} sample values, not a whole number of samples of ${types} types`);
  const values = new Float64Array(valueCount);
  header.values.forEach((coding, t) => {
    const Type = storedType(coding);
    unpackValues(coding, Type && take(Type, samples, `sample values of type ${t}`), values, types, t, samples);
  });
  const timeCount = header.lengths[ARRAYS.findIndex(([name]) => name === 'sampleTimeMs')];
  const TimeType = storedType(header.times);
  arrays.sampleValues = values;
  arrays.sampleTimeMs = unpackTimes(header.times, TimeType && take(TimeType, timeCount, 'sample times'), timeCount);
  return { summary: header.summary, strings: header.strings, ...arrays } as CompactProfile;
}

interface Header {
  summary: CompactProfile['summary'];
  strings: string[];
  lengths: number[];
  values: ColumnCoding[];
  times: ColumnCoding;
}

function readHeader(utf8: Uint8Array): Header {
  let header: Partial<Header> | null;
  try {
    header = JSON.parse(new TextDecoder().decode(utf8)) as Partial<Header> | null;
  } catch (err) {
    throw new CompactFormatError(`compact profile header is not JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null) throw new CompactFormatError('compact profile header is not an object');
  const { summary, strings, lengths, values, times } = header;
  if (typeof summary !== 'object' || summary === null) throw new CompactFormatError('compact profile header has no summary');
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) throw new CompactFormatError('compact profile strings are not a list of strings');
  if (!Array.isArray(lengths) || lengths.length !== ARRAYS.length || !lengths.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new CompactFormatError(`compact profile header needs ${ARRAYS.length} array lengths (whole numbers, 0 or more)`);
  }
  if (!Array.isArray(values) || !values.every(isCoding) || !isCoding(times) || times.kind === 'uint') throw new CompactFormatError('compact profile header has no valid column codings for the sample values and times');
  return { summary, strings, lengths, values, times };
}

function isCoding(c: unknown): c is ColumnCoding {
  if (typeof c !== 'object' || c === null) return false;
  const { kind, value, base, bytes } = c as Record<string, unknown>;
  if (kind === 'const') return typeof value === 'number';
  const width = bytes === 1 || bytes === 2 || bytes === 4;
  if (kind === 'delta') return Number.isSafeInteger(base) && width;
  return (kind === 'uint' && width) || kind === 'f64';
}

function align(n: number): number {
  return (n + 7) & ~7;
}
