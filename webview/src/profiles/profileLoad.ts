// Fetching a profile for a view: the engine's binary compact form, viewed in place.

import { decodeCompactProfile, PROFILE_MEDIA_TYPE } from '../../../src/shared/profile/codec.ts';
import type { Transport } from '../transport/transport.ts';
import { ProfileModel } from './model/profileModel.ts';

export async function loadModel(transport: Transport, id: string): Promise<ProfileModel> {
  const bytes = await transport.getBytes(`/api/profiles/${encodeURIComponent(id)}?format=binary`, PROFILE_MEDIA_TYPE);
  return new ProfileModel(decodeCompactProfile(bytes), -1);
}
