// Fetching a profile for a view: the engine's binary compact form, viewed in place.
// Views open on the samples merged by stack (a fraction of the rows, the same totals);
// the time-order chart, which needs every sample and its time, fetches them when shown.

import type { CompactProfile } from '../../../src/protocol/profile.ts';
import { decodeCompactProfile, PROFILE_MEDIA_TYPE } from '../../../src/shared/profile/codec.ts';
import type { Transport } from '../transport/transport.ts';
import { ProfileModel } from './model/profileModel.ts';

export async function loadModel(transport: Transport, id: string): Promise<ProfileModel> {
  const bytes = await transport.getBytes(`/api/profiles/${encodeURIComponent(id)}?format=binary&samples=by-stack`, PROFILE_MEDIA_TYPE);
  performance.mark('loupe:profile-fetched');
  return new ProfileModel(decodeCompactProfile(bytes), -1);
}

/** Every sample with its time, for the time-order chart. */
export async function loadSamples(transport: Transport, id: string): Promise<CompactProfile> {
  const bytes = await transport.getBytes(`/api/profiles/${encodeURIComponent(id)}?format=binary&samples=all`, PROFILE_MEDIA_TYPE);
  return decodeCompactProfile(bytes);
}
