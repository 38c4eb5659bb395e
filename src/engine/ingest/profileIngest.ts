// OTLP profile ingest: decode (either encoding), turn each profile into the compact
// form, store it. A profile whose indices point outside the dictionary is rejected on
// its own and counted in partial_success.

import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeProfilesJson } from '../otlp/json/profiles.ts';
import { emptyDictionary, type ProfilesData } from '../otlp/profilesData.ts';
import { decodeProfilesRequest } from '../otlp/protobuf/profiles.ts';
import { compactOtlpProfile, InvalidProfileError } from '../profiles/otlpProfile.ts';
import type { Encoding, ExportResult } from './ingest.ts';
import { Rejections } from './rejections.ts';

export class ProfileIngest {
  lastAccepted = 0;

  constructor(private readonly store: (profile: CompactProfile, name: string) => void) {}

  export(body: Buffer, encoding: Encoding): ExportResult {
    const data: ProfilesData = encoding === 'protobuf' ? decodeProfilesRequest(body) : decodeProfilesJson(body.toString('utf8'));
    const dictionary = data.dictionary ?? emptyDictionary();
    const rejections = new Rejections();
    let accepted = 0;
    for (const rp of data.resourceProfiles ?? []) {
      for (const sp of rp.scopeProfiles ?? []) {
        for (const profile of sp.profiles ?? []) {
          let compact: CompactProfile;
          try {
            compact = compactOtlpProfile(profile, dictionary, rp.resource ?? {});
          } catch (err) {
            if (!(err instanceof InvalidProfileError)) throw err;
            rejections.add(err.message);
            continue;
          }
          const s = compact.summary;
          const type = s.sampleTypes[0].type;
          const time = s.startTimeUnixNano !== '0' ? ` ${new Date(Number(BigInt(s.startTimeUnixNano) / 1_000_000n)).toISOString()}` : '';
          this.store(compact, `${s.service} ${type}${time}`);
          accepted++;
        }
      }
    }
    this.lastAccepted = accepted;
    return rejections.result('profiles');
  }
}
