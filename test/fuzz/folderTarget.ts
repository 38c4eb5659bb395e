// The disk tier's start on a whole data folder: segments, indexes and the lock, damaged
// together as crashes, full disks and careless copies leave them. The engine opens the
// folder, loads the last session back and counts the rest into the golden signals (as
// a start does), every segment is read, new data is written, and the folder is closed
// and opened again. Nothing may throw but the documented DataDirLockedError (a lock held
// by a live process); damage in a segment still kept must be counted; what the first
// start repaired, the second finds sound.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from '../../src/engine/disk/dataLock.ts';
import { DiskTier, type DiskTierOptions } from '../../src/engine/disk/diskTier.ts';
import { openDiskTier, reloadInBackground } from '../../src/engine/disk/openDiskTier.ts';
import { SIGNALS } from '../../src/engine/disk/record.ts';
import { scanRecords } from '../../src/engine/disk/segmentScan.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { DiskStatus } from '../../src/protocol/api.ts';
import { mutateFolder, packFolder, readFolder, unpackFolder, writeFolder, type FolderEntry } from './folderImage.ts';
import { fuzzEngine } from './fuzzEngine.ts';
import type { Seeds } from './seeds.ts';
import type { FuzzTarget } from './targets.ts';

/** Nothing is dropped for its age or the budget: every segment kept is read, so its damage must show. */
const OPTIONS: DiskTierOptions = { budgetBytes: 1024 * 1048576, retentionHours: 24 * 365 * 1000 };
/** The seeds are written with 64 KiB segments (the smallest), so a few requests make several. */
const SEED_OPTIONS: DiskTierOptions = { budgetBytes: 512 * 1024, retentionHours: 1 };
const SEGMENT = /^seg-\d{16}\.log$/;
/** A pid no process can have (above Linux's largest): the lock a killed engine leaves. */
const DEAD_PID = '4194305';

let scratch: string | undefined;
let runs = 0;

function freshFolder(): string {
  if (!scratch) {
    // In memory where there is a tmpfs: every start syncs the indexes it writes, and a disk's syncs would set the pace.
    const made = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'loupe-fuzz-folders-'));
    scratch = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const dir = join(scratch, String(runs++ % 4));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return dir;
}

/** Segment files of the image whose records do not all check out (torn, flipped, spliced). */
function damagedSegments(entries: FolderEntry[]): Set<string> {
  return new Set(entries.filter((e) => SEGMENT.test(e.name) && scanRecords(e.bytes).damaged > 0).map((e) => e.name));
}

function checkStatus(s: DiskStatus): void {
  const numbers = [s.bytes, s.segments, ...Object.values(s.counts), ...Object.values(s.dropped), ...Object.values(s.damage)];
  assert.ok(numbers.every((n) => Number.isFinite(n) && n >= 0), `status numbers: ${JSON.stringify(s)}`);
  if (s.oldestReceivedAt !== undefined) assert.ok(!Number.isNaN(Date.parse(s.oldestReceivedAt)));
}

/** Opens the folder as an engine's start does, uses it, closes it; 'rejected' when it counted damage. */
async function openFolder(image: Buffer): Promise<'rejected' | undefined> {
  // The tier says on stderr why it stopped writing (a folder where its lock should be…): expected here, and checked in its status.
  const error = console.error;
  console.error = () => {};
  try {
    return await openAndReopen(image);
  } finally {
    console.error = error;
  }
}

async function openAndReopen(image: Buffer): Promise<'rejected' | undefined> {
  const entries = unpackFolder(image);
  const dir = freshFolder();
  writeFolder(dir, entries);
  const damaged = damagedSegments(entries);
  const engine = fuzzEngine();
  const tier = openDiskTier(engine, dir, OPTIONS);
  let after: DiskStatus;
  try {
    checkStatus(tier.status());
    const reload = reloadInBackground(engine)!;
    await reload.finished;
    assert.notEqual(reload.status().state, 'stopped', 'the load back into memory stopped');
    // Every segment kept, read as queries read them: damage in one is counted, not thrown.
    const kept = [...tier.segments];
    for (const index of kept) for (const signal of SIGNALS) tier.view(index, signal);
    // A start that listed a damaged segment counted its damage (cut as a torn tail, skipped on a read).
    const listed = kept.filter((s) => damaged.has(s.file)).map((s) => s.file);
    const s = tier.status();
    if (listed.length && !s.error) assert.ok(s.damage.tornBytes + s.damage.damagedRecords > 0, `damaged segments ${listed.join(', ')} kept with no damage counted: ${JSON.stringify(s.damage)}`);
    // New data goes on being written after whatever the folder held.
    engine.export('traces', SEED_TRACES!, 'protobuf', 'http');
    await tier.written();
    after = tier.status();
    checkStatus(after);
  } finally {
    await tier.close();
    engine.disk = undefined;
  }
  // Writing stopped (at the start, or as the close wrote the last index): the folder is as the error left it.
  if (after.error || tier.error) return 'rejected';
  // The second start finds what the first repaired sound, and the same data.
  const again = DiskTier.open(dir, OPTIONS, engine);
  try {
    const s = again.status();
    assert.equal(s.error, undefined, 'a folder the first start wrote to could not be opened again');
    assert.deepEqual(s.damage, { tornBytes: 0, damagedRecords: 0, rebuiltIndexes: 0 }, 'the second start found damage the first one left');
    assert.deepEqual(s.counts, after.counts, 'the second start counts other data than the first one closed with');
  } finally {
    await again.close();
  }
  return after.damage.tornBytes || after.damage.damagedRecords ? 'rejected' : undefined;
}

let SEED_TRACES: Buffer | undefined;
let folderSeeds: Promise<Buffer[]> | undefined;

/** Writes requests of every signal through a real engine until the folder holds several segments. */
async function writeSeedFolder(s: Seeds, crash: boolean): Promise<Buffer> {
  const dir = freshFolder();
  const engine = new Engine({ memoryBudgetBytes: 4 * 1048576 });
  engine.scraper.stop();
  engine.alerts.stop();
  const tier = openDiskTier(engine, dir, SEED_OPTIONS);
  let crashed: Buffer | undefined;
  try {
    const requests: [Parameters<Engine['export']>[0], Buffer, 'protobuf' | 'json'][] = [
      ['traces', s.tracesProtobuf, 'protobuf'], ['logs', s.logsProtobuf, 'protobuf'], ['metrics', s.metricsJson, 'json'],
      ['profiles', s.profilesProtobuf, 'protobuf'], ['traces', s.tracesJson, 'json'], ['logs', s.logsJson, 'json'],
    ];
    for (let i = 0; tier.segments.length < 4; i++) {
      const [signal, body, encoding] = requests[i % requests.length];
      engine.export(signal, body, encoding, 'http');
    }
    await tier.written();
    // As a killed engine leaves it: the open segment without its index, the lock naming a process gone.
    if (crash) crashed = packFolder(readFolder(dir).map((f) => (f.name === 'loupe.lock' ? { name: f.name, bytes: Buffer.from(DEAD_PID) } : f)));
  } finally {
    await tier.close();
    engine.textIndexer.stop();
    engine.logTextIndexer.stop();
    engine.events.close();
  }
  return crashed ?? packFolder(readFolder(dir));
}

export const FOLDER_TARGET: FuzzTarget = {
  name: 'disk-folder',
  seeds: (s) => {
    SEED_TRACES = s.tracesProtobuf;
    folderSeeds ??= (async () => [await writeSeedFolder(s, false), await writeSeedFolder(s, true)])();
    return folderSeeds;
  },
  rejects: (err) => err instanceof DataDirLockedError,
  decode: openFolder,
  mutate: mutateFolder,
  // About 0.2 s an input on a loaded two-core machine: a folder written, opened, loaded back, read, written and opened again.
  testBounds: { iterations: 40, perInputMs: 10_000 },
};
