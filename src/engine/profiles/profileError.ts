// The one error every profile decoder throws: which format the bytes were read as, and
// what was wrong, so the API's 400 and the editor's message can say both.

import type { ProfileFormat } from '../../protocol/profile.ts';

export class ProfileDecodeError extends Error {
  override name = 'ProfileDecodeError';
  constructor(readonly format: ProfileFormat | 'unknown', detail: string) {
    super(format === 'unknown' ? detail : `not a valid ${FORMAT_NAMES[format]}: ${detail}`);
  }
}

export const FORMAT_NAMES: Record<ProfileFormat, string> = {
  pprof: 'pprof profile (protobuf, gzip or raw)',
  cpuprofile: 'V8 .cpuprofile (JSON)',
  heapprofile: 'V8 .heapprofile (JSON)',
  folded: 'folded stacks text ("frame;frame;frame count" per line)',
  otlp: 'OTLP profiles request',
};
