// Profiles on the disk tier: those memory evicted (or, after a restart, did not load
// back) are listed and opened from their segments. A profile on disk is known by its
// place, `<record seq>.<index in the record>`, and listed as `disk-<place>`; the id it
// had in memory opens it too while the store remembers it (profileStore.ts).
// Each segment's profiles are decoded once for their summaries (kept, small), and the
// last few profiles opened are kept whole (a flamegraph asks for one several times).

import type { CompactProfile, ProfileSource, ProfileSummary } from '../../protocol/profile.ts';
import { decodeCompactProfile } from '../../shared/profile/codec.ts';
import { ProfileIngest } from '../ingest/profileIngest.ts';
import { traceIdsOf } from '../store/profileStore.ts';
import type { DiskTier } from './diskTier.ts';
import type { DiskRecord } from './record.ts';
import type { SegmentIndex } from './segmentIndex.ts';

/** The list gives at most this many profiles from disk, the newest. */
export const MAX_DISK_PROFILES_LISTED = 1000;
/**
 * A list decodes segments it has not seen for at most this long; those left are listed
 * by a later call (decoded segments are kept), so a first list after a restart on a
 * large folder answers in bounded time, older profiles joining as it is asked again.
 */
const LIST_DECODE_MS = 2000;
const OPENED_KEPT = 4;
const ID_PREFIX = 'disk-';

interface ListedProfile {
  place: string;
  summary: ProfileSummary;
  traceIds: ReadonlySet<string>;
}

export class DiskProfiles {
  /** Per segment (and its count of profile records, which grows while it is written). */
  private readonly listed = new Map<string, ListedProfile[]>();
  private readonly opened = new Map<string, CompactProfile>();

  constructor(private readonly tier: DiskTier) {}

  /**
   * Profiles on disk whose place is not in `held` (those memory holds), oldest first as
   * memory lists them; with `traceId`, those whose samples carry it.
   */
  list(held: ReadonlySet<string>, traceId?: string): ProfileSummary[] {
    const out: ProfileSummary[] = [];
    const segments = this.tier.segments;
    const deadline = Date.now() + LIST_DECODE_MS;
    for (let s = segments.length - 1; s >= 0 && out.length < MAX_DISK_PROFILES_LISTED; s--) {
      if (!segments[s].signals.profiles) continue;
      const profiles = this.segmentProfiles(segments[s], Date.now() < deadline);
      if (!profiles) continue;
      for (let p = profiles.length - 1; p >= 0 && out.length < MAX_DISK_PROFILES_LISTED; p--) {
        const { place, summary, traceIds } = profiles[p];
        if (!held.has(place) && (traceId === undefined || traceIds.has(traceId))) out.push(summary);
      }
    }
    return out.reverse();
  }

  /** The profile at `place` (`<seq>.<n>`), read from its segment; undefined when no segment holds it (any more). */
  get(place: string): CompactProfile | undefined {
    const kept = this.opened.get(place);
    if (kept) {
      this.opened.delete(place);
      this.opened.set(place, kept);
      return kept;
    }
    const m = /^(\d{1,16})\.(\d{1,6})$/.exec(place);
    if (!m) return undefined;
    const seq = Number(m[1]);
    const index = this.tier.segments.find((s) => s.firstSeq <= seq && seq <= s.lastSeq && s.signals.profiles > 0);
    if (!index) return undefined;
    const [record] = this.tier.records(index, 'profiles', (q) => q === seq);
    const found = record && profilesOf(record)[Number(m[2])];
    if (!found) return undefined;
    const profile = asListed(found, place);
    this.opened.set(place, profile);
    if (this.opened.size > OPENED_KEPT) this.opened.delete(this.opened.keys().next().value!);
    return profile;
  }

  clear(): void {
    this.listed.clear();
    this.opened.clear();
  }

  /** The segment's profiles, decoded once; undefined when not decoded yet and `decode` is false. */
  private segmentProfiles(index: SegmentIndex, decode: boolean): ListedProfile[] | undefined {
    const key = `${index.file}:${index.signals.profiles}`;
    let profiles = this.listed.get(key);
    if (profiles || !decode) return profiles;
    profiles = [];
    for (const r of this.tier.records(index, 'profiles')) {
      for (const [n, found] of profilesOf(r).entries()) {
        const place = `${r.seq}.${n}`;
        profiles.push({ place, summary: asListed(found, place).summary, traceIds: traceIdsOf(found.profile) });
      }
    }
    // The open segment's entry is replaced as it grows; those of segments dropped since go.
    const kept = new Set(this.tier.segments.map((s) => s.file));
    for (const k of this.listed.keys()) {
      const file = k.slice(0, k.lastIndexOf(':'));
      if (file === index.file || !kept.has(file)) this.listed.delete(k);
    }
    this.listed.set(key, profiles);
    return profiles;
  }
}

/** The disk place an id names (`disk-<place>`), or undefined for a memory id. */
export function diskPlaceOf(id: string): string | undefined {
  return id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length) : undefined;
}

interface DecodedProfile {
  profile: CompactProfile;
  name: string;
  source: ProfileSource;
}

/** The profiles of one record, decoded as memory stored them (rejected ones are left out, as then). */
function profilesOf(r: DiskRecord): DecodedProfile[] {
  try {
    if (r.encoding === 'compact') {
      // A copy: the record's bytes are a slice of the whole segment file.
      const profile = decodeCompactProfile(new Uint8Array(r.body));
      return [{ profile, name: profile.summary.name, source: profile.summary.source }];
    }
    const out: DecodedProfile[] = [];
    new ProfileIngest((profile, name) => { out.push({ profile, name, source: 'otlp' }); }).export(r.body, r.encoding);
    return out;
  } catch {
    // Accepted once, by this code: a record that no longer decodes was written by another version.
    return [];
  }
}

function asListed(found: DecodedProfile, place: string): CompactProfile {
  found.profile.summary = { ...found.profile.summary, id: `${ID_PREFIX}${place}`, name: found.name, source: found.source, fromDisk: true };
  return found.profile;
}
