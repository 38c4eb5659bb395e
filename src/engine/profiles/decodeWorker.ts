// The profile decoder's thread (bundled as dist/profileDecoder.js): file bytes in,
// compact profile bytes out, both transferred rather than copied. Decoding a large
// profile takes seconds of CPU; here it does not stall ingest and queries on the
// engine's event loop.

import { parentPort } from 'node:worker_threads';
import { encodeCompactProfile } from '../../shared/profile/codec.ts';
import { decodeProfile } from './decodeProfile.ts';
import { ProfileDecodeError } from './profileError.ts';

export interface DecodeJob {
  id: number;
  bytes: Uint8Array;
  maxUncompressedBytes: number;
}

export type DecodeResult =
  | { id: number; compact: Uint8Array }
  | { id: number; decodeError: { format: ProfileDecodeError['format']; message: string } }
  | { id: number; failure: string };

parentPort?.on('message', (job: DecodeJob) => {
  let result: DecodeResult;
  try {
    const compact = encodeCompactProfile(decodeProfile(job.bytes, job.maxUncompressedBytes));
    result = { id: job.id, compact };
  } catch (err) {
    result = err instanceof ProfileDecodeError
      ? { id: job.id, decodeError: { format: err.format, message: err.message } }
      : { id: job.id, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  const transfer = 'compact' in result ? [result.compact.buffer as ArrayBuffer] : [];
  parentPort!.postMessage(result, transfer);
});
