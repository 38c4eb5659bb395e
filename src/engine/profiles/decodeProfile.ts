// A profile file's bytes → the compact profile, the format told from the bytes
// themselves (gzip magic, JSON shape, folded text, else pprof protobuf), never from a
// file name, which imports and uploads may not have.

import { gunzipSync } from 'node:zlib';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeCpuNodes, decodeCpuProfile } from './cpuprofile.ts';
import { scanCpuProfile } from './cpuprofileScan.ts';
import { decodeFolded, looksFolded } from './folded.ts';
import { decodeHeapProfile } from './heapprofile.ts';
import { isObject } from './jsonFields.ts';
import { waitForBytes } from './bodyArrival.ts';
import { extractNumberArrays, locateNumberArrays, readNumbers, type ArraySpan } from './jsonNumberArrays.ts';
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
 * `arrival`: for bytes still arriving in shared memory, how far they are in
 * (bodyArrival.ts); a .cpuprofile is read as it comes, anything else once it is all in.
 */
export function decodeProfile(bytes: Uint8Array, maxUncompressedBytes = MAX_UNCOMPRESSED_BYTES, onByStack?: (byStack: CompactProfile) => void, scan?: NumberScanThread, arrival?: Int32Array): CompactProfile {
  if (bytes.length === 0) throw new ProfileDecodeError('unknown', 'the profile is empty (0 bytes)');
  if (arrival) {
    const arrived = waitForBytes(arrival);
    arrived(4096);
    if (firstNonSpace(bytes) === 0x7b /* { */) return decodeJsonProfile(bytes, onByStack, scan, { state: arrival, arrived });
    arrived(bytes.length);
  }
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

/** Thrown when the number arrays turn out not to be all numbers: decode through JSON.parse. */
class NotAllNumbers extends Error {}

function decodeJsonProfile(bytes: Uint8Array, onByStack?: (byStack: CompactProfile) => void, scan?: NumberScanThread, arrival?: { state: Int32Array; arrived: (upTo: number) => number }): CompactProfile {
  // A .cpuprofile in the shape V8 writes is read from its bytes: the nodes here (as they
  // arrive, for an upload), and its sample and delta arrays (the bulk of it) on the scan
  // thread meanwhile when it is large (as they arrive too: each once its `]` is in).
  const arrived = arrival?.arrived;
  const parallel = scan && bytes.length >= PARALLEL_SCAN_BYTES;
  const arriving = parallel && arrival ? scan.startArriving(bytes, arrival.state, NUMBER_ARRAYS) : undefined;
  let arrays: (() => Map<string, Float64Array> | undefined) | undefined;
  const spansOf = (): ArraySpan[] => {
    arrived?.(bytes.length);
    const got = arriving?.();
    if (got) {
      arrays = () => got.arrays;
      return got.spans;
    }
    const spans = locateNumberArrays(bytes, NUMBER_ARRAYS);
    arrays = parallel && spans.length > 0 && !arriving ? scan.start(bytes, spans) : () => readSpans(bytes, spans);
    return spans;
  };
  // Read by the file's own order (the nodes first) when it is still arriving; else with the arrays already being read.
  const scanned = scanCpuProfile(bytes, arrived ? spansOf : spansOf(), arrived);
  if (scanned) {
    const startUs = scanned.startTime ?? 0;
    try {
      return decodeCpuNodes(scanned.nodes, startUs, scanned.endTime ?? startUs, () => {
        const read = arrays!();
        if (!read) throw new NotAllNumbers();
        return { samples: read.get('samples')!, deltas: read.get('timeDeltas') ?? [] };
      }, onByStack);
    } catch (err) {
      if (!(err instanceof NotAllNumbers)) throw err;
    }
  }
  // Anything else (a heap profile, another shape, broken JSON): the nodes through JSON.parse.
  arrived?.(bytes.length);
  const { rest, arrays: read } = extractNumberArrays(bytes, NUMBER_ARRAYS);
  return decodeJsonDocument(parseJson(rest), read, onByStack);
}

function readSpans(bytes: Uint8Array, spans: readonly ArraySpan[]): Map<string, Float64Array> | undefined {
  const arrays = new Map<string, Float64Array>();
  for (const { key, open } of spans) {
    const read = readNumbers(bytes, open + 1);
    if (!read) return undefined;
    arrays.set(key, read.values);
  }
  return arrays;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProfileDecodeError('cpuprofile', `the JSON does not parse (${(err as Error).message}); the file may be truncated`);
  }
}

/** `numbers`: the arrays read apart from the document (`doc` has them as empty arrays). */
function decodeJsonDocument(doc: unknown, numbers: ReadonlyMap<string, Float64Array>, onByStack?: (byStack: CompactProfile) => void): CompactProfile {
  if (isObject(doc) && 'head' in doc) return decodeHeapProfile(doc);
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
