// A data folder as one buffer, so the fuzz harness can mutate, save and replay a whole
// folder as it does a single input: per entry a name and its bytes; a name ending in "/"
// is a folder where a file is expected. Unpacking is lenient: an entry that does not fit
// ends the folder, so any bytes are some folder.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { int, mutate, type Rand } from './mutate.ts';

export interface FolderEntry {
  name: string;
  bytes: Buffer;
}

const MAX_NAME = 64;

export function packFolder(entries: FolderEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const head = Buffer.alloc(5);
    head[0] = name.length;
    head.writeUInt32LE(e.bytes.length, 1);
    parts.push(head, name, e.bytes);
  }
  return Buffer.concat(parts);
}

export function unpackFolder(image: Buffer): FolderEntry[] {
  const entries: FolderEntry[] = [];
  let at = 0;
  while (at + 5 <= image.length) {
    const nameLength = image[at];
    const length = image.readUInt32LE(at + 1);
    const end = at + 5 + nameLength + length;
    if (end > image.length) break;
    // Names stay inside the folder: no separators but a trailing one, nothing hidden or empty.
    const raw = image.subarray(at + 5, at + 5 + nameLength).toString('latin1');
    const folder = raw.endsWith('/');
    const base = raw.replace(/\/$/, '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, MAX_NAME);
    if (base && !entries.some((e) => e.name.replace(/\/$/, '') === base)) entries.push({ name: folder ? `${base}/` : base, bytes: image.subarray(at + 5 + nameLength, end) });
    at = end;
  }
  return entries;
}

/** Writes the entries into `dir`, which must be empty. */
export function writeFolder(dir: string, entries: FolderEntry[]): void {
  for (const e of entries) {
    if (e.name.endsWith('/')) mkdirSync(join(dir, e.name), { recursive: true });
    else writeFileSync(join(dir, e.name), e.bytes);
  }
}

/** The files of `dir` (not its subfolders), sorted by name. */
export function readFolder(dir: string): FolderEntry[] {
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => ({ name: e.name, bytes: readFileSync(join(dir, e.name)) })).sort((a, b) => a.name.localeCompare(b.name));
}

/** What a lock file may say: empty, junk, a pid long gone, this process, or init (always alive, so the folder is taken). */
const LOCK_TEXTS = ['', 'junk', '0', '-1', '4194305', '3.5', String(process.pid), '1'];

/**
 * Damage as a crash, a full disk, a copy gone wrong or a user's hands leave a folder:
 * one file's bytes mutated (torn, bit-flipped, spliced…), a file deleted, one file's
 * contents in another's place, a segment or index copied under another name, the lock
 * rewritten, a folder where a file should be. Seeded, so (seed, iteration) reproduces it.
 */
export function mutateFolder(image: Buffer, rand: Rand, other: Buffer): Buffer {
  let entries = unpackFolder(image);
  const others = unpackFolder(other);
  for (let i = 0, n = 1 + (rand() < 0.3 ? int(rand, 3) : 0); i < n; i++) entries = mutateOnce(entries, rand, others);
  // Now and then the image itself, so unpacking meets broken entries too.
  const packed = packFolder(entries);
  return rand() < 0.05 ? mutate(packed, rand, other, false) : packed;
}

function mutateOnce(entries: FolderEntry[], rand: Rand, others: FolderEntry[]): FolderEntry[] {
  const files = entries.filter((e) => !e.name.endsWith('/'));
  const pick = (from: FolderEntry[]) => from[int(rand, from.length)];
  const replace = (name: string, bytes: Buffer) => entries.map((e) => (e.name === name ? { name, bytes } : e));
  switch (int(rand, 8)) {
    case 0:
    case 1:
    case 2: { // one file's bytes damaged: indexes as text, segments as binary
      const f = pick(files);
      if (!f) return entries;
      const donor = pick(others.filter((o) => o.name.endsWith('.idx') === f.name.endsWith('.idx'))) ?? f;
      return replace(f.name, mutate(f.bytes, rand, donor.bytes, f.name.endsWith('.idx')));
    }
    case 3: { // a file deleted
      const f = pick(entries);
      return f ? entries.filter((e) => e !== f) : entries;
    }
    case 4: { // two files' contents swapped (an index of another segment…)
      const a = pick(files);
      const b = pick(files);
      if (!a || !b) return entries;
      return entries.map((e) => (e === a ? { name: a.name, bytes: b.bytes } : e === b ? { name: b.name, bytes: a.bytes } : e));
    }
    case 5: { // a segment or index copied under another sequence number
      const f = pick(files.filter((e) => e.name.startsWith('seg-')));
      if (!f) return entries;
      const seq = String(int(rand, 40)).padStart(16, '0');
      const name = f.name.replace(/\d{16}/, seq);
      return [...entries.filter((e) => e.name !== name), { name, bytes: f.bytes }];
    }
    case 6: { // the lock rewritten
      const bytes = Buffer.from(LOCK_TEXTS[int(rand, LOCK_TEXTS.length)]);
      return [...entries.filter((e) => e.name !== 'loupe.lock'), { name: 'loupe.lock', bytes }];
    }
    default: { // a folder where a file is expected: a segment, an index, its temporary file, the lock
      const f = pick(entries);
      const names = [f ? f.name.replace(/\/$/, '') : 'seg-0000000000000009.log', 'loupe.lock', 'seg-0000000000000000.log.idx.tmp'];
      const name = names[int(rand, names.length)];
      return [...entries.filter((e) => e.name.replace(/\/$/, '') !== name), { name: `${name}/`, bytes: Buffer.alloc(0) }];
    }
  }
}
