// A profile file's bytes → the compact profile, the format told from the bytes
// themselves (gzip magic, JSON shape, folded text, else pprof protobuf), never from a
// file name, which imports and uploads may not have.

import { gunzipSync } from 'node:zlib';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeCpuProfile } from './cpuprofile.ts';
import { decodeFolded, looksFolded } from './folded.ts';
import { decodeHeapProfile } from './heapprofile.ts';
import { isObject } from './jsonFields.ts';
import { extractNumberArrays, findNumberArrays, textWithout } from './jsonNumberArrays.ts';
import type { NumberScanThread } from './numberScan.ts';
import { decodePprof } from './pprof.ts';
import { ProfileDecodeError } from './profileError.ts';

/** Largest profile decompressed from gzip: far beyond any real profile, well short of exhausting memory. */
export const MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;

/** Below this a .cpuprofile's number arrays are read in the decoding thread: handing them over would cost more. */
const PARALLEL_SCAN_BYTES = 4 * 1024 * 1024;

/**
 * `onByStack`: for formats that know their samples merged by stack before the rest (V8
 * .cpuprofile), called with that form (what `samplesByStack` makes of the result) first.
 * `scan`: a second thread for a large .cpuprofile's number arrays (the decoder thread has one).
 */
export function decodeProfile(bytes: Uint8Array, maxUncompressedBytes = MAX_UNCOMPRESSED_BYTES, onByStack?: (byStack: CompactProfile) => void, scan?: NumberScanThread): CompactProfile {
  if (bytes.length === 0) throw new ProfileDecodeError('unknown', 'the profile is empty (0 bytes)');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inner: Buffer;
    try {
      inner = gunzipSync(bytes, { maxOutputLength: maxUncompressedBytes });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ERR_BUFFER_TOO_LARGE' ? `it inflates to more than ${maxUncompressedBytes} bytes` : `the gzip stream is damaged or truncated (${e.message})`;
      throw new ProfileDecodeError('pprof', why);
    }
    // pprof files are gzipped protobuf, but a gzipped .cpuprofile or folded text is read too.
    if (inner.length > 0 && inner[0] === 0x1f && inner[1] === 0x8b) throw new ProfileDecodeError('pprof', 'it is gzip inside gzip');
    return decodeProfile(inner, maxUncompressedBytes, onByStack, scan);
  }
  const first = firstNonSpace(bytes);
  if (first === 0x7b /* { */) return decodeJsonProfile(bytes, onByStack, scan);
  if (isText(bytes)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    if (looksFolded(text)) return decodeFolded(text);
  }
  try {
    return decodePprof(bytes);
  } catch (err) {
    if (!(err instanceof ProfileDecodeError)) throw err;
    throw new ProfileDecodeError('unknown', `unrecognized profile: it is not gzip, JSON (.cpuprofile/.heapprofile) or folded text, and read as a pprof protobuf it fails: ${err.message.replace(/^not a valid [^:]*: /, '')}`);
  }
}

const NUMBER_ARRAYS = ['samples', 'timeDeltas'];

/** Thrown when the number arrays read apart turn out not to be all numbers: decode again in one thread. */
class ScanMissed extends Error {}

function decodeJsonProfile(bytes: Uint8Array, onByStack?: (byStack: CompactProfile) => void, scan?: NumberScanThread): CompactProfile {
  const spans = scan && bytes.length >= PARALLEL_SCAN_BYTES ? findNumberArrays(bytes, NUMBER_ARRAYS) : [];
  if (spans.length === 0) {
    // The bulk of a .cpuprofile, its sample and delta arrays, is read without JSON.parse.
    const { rest, arrays } = extractNumberArrays(bytes, NUMBER_ARRAYS);
    return decodeJsonDocument(parseJson(rest), () => arrays, onByStack);
  }
  const arrays = scan!.start(bytes, spans);
  try {
    let doc: unknown;
    try {
      doc = parseJson(textWithout(bytes, spans));
    } catch (err) {
      // The cuts may be what broke it (an array that held a string with a `]`): say so only if they were right.
      if (arrays()) throw err;
      throw new ScanMissed();
    }
    return decodeJsonDocument(doc, () => arrays() ?? (() => { throw new ScanMissed(); })(), onByStack);
  } catch (err) {
    if (!(err instanceof ScanMissed)) throw err;
    return decodeJsonProfile(bytes, onByStack);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProfileDecodeError('cpuprofile', `the JSON does not parse (${(err as Error).message}); the file may be truncated`);
  }
}

/** `numbers`: the arrays read apart from the document, asked for once the nodes are indexed. */
function decodeJsonDocument(doc: unknown, numbers: () => ReadonlyMap<string, Float64Array>, onByStack?: (byStack: CompactProfile) => void): CompactProfile {
  if (isObject(doc) && 'head' in doc) {
    numbers(); // a heap profile's "samples" are objects: this makes sure they were left in place
    return decodeHeapProfile(doc);
  }
  if (isObject(doc) && ('nodes' in doc || 'samples' in doc)) return decodeCpuProfile(doc, numbers, onByStack);
  throw new ProfileDecodeError('cpuprofile', 'the JSON has neither "nodes" and "samples" (a .cpuprofile) nor "head" (a .heapprofile)');
}

function firstNonSpace(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length && i < 4096; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  }
  return -1;
}

/** No control bytes other than whitespace in the first 4 KiB. */
function isText(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length && i < 4096; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}
