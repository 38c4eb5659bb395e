// Decoded profiles, whole, in arrival order; evicted oldest first with the other
// signals under the engine's memory budget. Each profile is a handful of typed arrays,
// so its size is known exactly rather than estimated per item.

import type { CompactProfile, ProfileSource, ProfileSummary } from '../../protocol/profile.ts';

export interface StoredProfile {
  readonly profile: CompactProfile;
  /** Every trace id a sample carries (the summary lists only the first few hundred). */
  readonly traceIds: ReadonlySet<string>;
  readonly bytes: number;
  readonly receivedAt: number;
  /** With the disk tier on: where the profile is on disk (`<record seq>.<index in the record>`). */
  diskRef?: string;
}

/** Evicted profiles whose disk place is remembered, so their ids still open (from disk). */
const EVICTED_REFS = 10_000;

export class ProfileStore {
  private readonly byId = new Map<string, StoredProfile>();
  private nextId = 1;
  /** Ids of profiles evicted lately → their disk place. */
  private readonly evictedRefs = new Map<string, string>();
  memoryBytes = 0;
  evicted = 0;

  get count(): number {
    return this.byId.size;
  }

  get oldestReceivedAt(): number {
    for (const p of this.byId.values()) return p.receivedAt;
    return Infinity;
  }

  /** An id no profile has or will be given, for a profile still being decoded (then `add` it with this id). */
  reserveId(): string {
    return String(this.nextId++);
  }

  /** Stores `profile` under a new id, or one from `reserveId` (written into its summary), and returns the id. */
  add(profile: CompactProfile, name: string, source: ProfileSource, id = String(this.nextId++)): string {
    profile.summary = { ...profile.summary, id, name, source };
    const stored: StoredProfile = { profile, traceIds: traceIdsOf(profile), bytes: profileBytes(profile), receivedAt: Date.now() };
    this.byId.set(id, stored);
    this.memoryBytes += stored.bytes;
    return id;
  }

  get(id: string): CompactProfile | undefined {
    return this.byId.get(id)?.profile;
  }

  /** The newest `count` profiles came from disk record `seq` (received, or loaded back), in order. */
  noteRecord(seq: number, count: number): void {
    if (count <= 0) return;
    const newest = [...this.byId.values()].slice(-count);
    for (const [i, p] of newest.entries()) p.diskRef = `${seq}.${i}`;
  }

  /** The disk places of the profiles memory holds. */
  diskRefs(): Set<string> {
    const refs = new Set<string>();
    for (const p of this.byId.values()) if (p.diskRef) refs.add(p.diskRef);
    return refs;
  }

  /** Where an evicted profile is on disk, by the id it had in memory. */
  evictedRef(id: string): string | undefined {
    return this.evictedRefs.get(id);
  }

  /** Summaries oldest first; with `traceId`, only profiles whose samples carry it. */
  list(traceId?: string): ProfileSummary[] {
    const out: ProfileSummary[] = [];
    for (const p of this.byId.values()) {
      if (traceId === undefined || p.traceIds.has(traceId)) out.push(p.profile.summary);
    }
    return out;
  }

  evictOldest(): boolean {
    for (const [id, p] of this.byId) {
      this.byId.delete(id);
      this.memoryBytes -= p.bytes;
      this.evicted++;
      if (p.diskRef) {
        this.evictedRefs.set(id, p.diskRef);
        if (this.evictedRefs.size > EVICTED_REFS) this.evictedRefs.delete(this.evictedRefs.keys().next().value!);
      }
      return true;
    }
    return false;
  }

  clear(): void {
    this.byId.clear();
    this.evictedRefs.clear();
    this.memoryBytes = 0;
  }
}

/** Every trace id a sample's `trace_id` label carries, lower case. */
export function traceIdsOf(profile: CompactProfile): Set<string> {
  const ids = new Set<string>();
  const key = profile.strings.indexOf('trace_id');
  if (key <= 0) return ids;
  for (let j = 0; j < profile.labelKey.length; j++) {
    if (profile.labelKey[j] === key) ids.add(profile.strings[profile.labelValue[j]].toLowerCase());
  }
  return ids;
}

/** What a profile counts against the memory budget: its strings and the buffers its typed arrays hold (each once, spare room included). */
export function profileBytes(profile: CompactProfile): number {
  let bytes = 1024;
  for (const s of profile.strings) bytes += 32 + s.length * 2;
  const buffers = new Set<ArrayBufferLike>();
  for (const a of [
    profile.frameFunction, profile.frameFile, profile.frameLine, profile.frameColumn, profile.frameKind,
    profile.stackParent, profile.stackFrame, profile.sampleStack, profile.sampleValues, profile.sampleTimeMs,
    profile.sampleLabelStart, profile.labelKey, profile.labelValue,
  ]) {
    if (buffers.has(a.buffer)) continue;
    buffers.add(a.buffer);
    bytes += a.buffer.byteLength;
  }
  return bytes;
}
