// The profile decoder's thread (bundled as dist/profileDecoder.js): file bytes in, the
// compact profile's typed arrays out, both transferred rather than copied (no encoding
// to bytes and back: at 3M samples that was a second of the import). Decoding a large
// profile takes seconds of CPU; here it does not stall ingest and queries on the
// engine's event loop.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeProfile } from './decodeProfile.ts';
import { NumberScanThread, serveScans } from './numberScan.ts';
import type { ThreadScript } from './threadScript.ts';
import { ProfileDecodeError } from './profileError.ts';

export interface DecodeJob {
  id: number;
  bytes: Uint8Array;
  maxUncompressedBytes: number;
  /** For bytes still arriving (shared memory): how far they are in (bodyArrival.ts). */
  arrival?: Int32Array;
}

export type DecodeResult =
  | { id: number; compact: CompactProfile }
  /** Before `compact`, for formats that know it first: the samples merged by stack. */
  | { id: number; byStack: CompactProfile }
  | { id: number; decodeError: { format: ProfileDecodeError['format']; message: string } }
  | { id: number; failure: string };

const data = workerData as { script: ThreadScript; role?: 'scan'; replies?: MessagePort; wake?: Int32Array } | undefined;
if (data?.role === 'scan') serveScans(data.replies!, data.wake!);
else if (parentPort) decodeJobs(new NumberScanThread(data!.script).prepared());

function decodeJobs(scan: NumberScanThread): void {
  parentPort!.on('message', (job: DecodeJob) => {
    let result: DecodeResult;
    try {
      const early = (byStack: CompactProfile): void => {
        const message: DecodeResult = { id: job.id, byStack: ownBuffers(byStack) };
        parentPort!.postMessage(message, buffersOf(message.byStack));
      };
      result = { id: job.id, compact: ownBuffers(decodeProfile(job.bytes, job.maxUncompressedBytes, early, scan, job.arrival)) };
    } catch (err) {
      result = err instanceof ProfileDecodeError
        ? { id: job.id, decodeError: { format: err.format, message: err.message } }
        : { id: job.id, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    const transfer = 'compact' in result ? buffersOf(result.compact) : [];
    parentPort!.postMessage(result, transfer);
  });
}

/**
 * Each array of `p` alone in its buffer: a transferred buffer moves whole. One that
 * fills most of its buffer goes with it (the memory budget counts whole buffers);
 * copying every such array out was a second of a 50 MB import. Others are copied out.
 */
function ownBuffers(p: CompactProfile): CompactProfile {
  const out = { ...p } as Record<string, unknown>;
  const seen = new Set<ArrayBufferLike>();
  for (const [key, value] of Object.entries(p)) {
    if (!ArrayBuffer.isView(value)) continue;
    const a = value as unknown as Uint8Array;
    const alone = a.byteLength * 4 >= a.buffer.byteLength * 3 && !seen.has(a.buffer);
    out[key] = alone ? a : a.slice();
    seen.add((out[key] as Uint8Array).buffer);
  }
  return out as unknown as CompactProfile;
}

function buffersOf(p: CompactProfile): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const value of Object.values(p)) if (ArrayBuffer.isView(value) && value.byteLength > 0) buffers.add(value.buffer as ArrayBuffer);
  return [...buffers];
}
