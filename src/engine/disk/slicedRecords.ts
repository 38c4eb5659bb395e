// Reading segments back in the background: each segment is read whole, then its records
// are handed on in slices of a few milliseconds that yield to the event loop, so OTLP is
// accepted and queries answered meanwhile.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskTier } from './diskTier.ts';
import type { DiskRecord } from './record.ts';
import { scanRecords } from './segmentScan.ts';
import type { SegmentIndex } from './segmentIndex.ts';

/** One slice runs this long before it yields to the event loop. */
const SLICE_MS = 8;

/**
 * Hands every record of `segments` (oldest first) that `keep` accepts to `each`; after a
 * segment, `segmentDone` is told its size. Stops as soon as `running()` is false.
 * Segments dropped meanwhile (budget, retention, a clear) are passed over.
 */
export async function eachRecordSliced(
  tier: DiskTier,
  segments: readonly SegmentIndex[],
  running: () => boolean,
  each: (r: DiskRecord, segment: SegmentIndex) => void,
  segmentDone: (index: SegmentIndex) => void = () => {},
  keep?: (signal: DiskRecord['signal'], seq: number) => boolean,
): Promise<void> {
  for (const index of segments) {
    if (!running()) return;
    let bytes: Buffer;
    try {
      bytes = await readFile(join(tier.dir, index.file));
    } catch {
      continue;
    }
    if (!running() || !tier.holds(index)) continue;
    const { records, damaged } = scanRecords(bytes, keep);
    tier.readDamage(index, damaged);
    let i = 0;
    while (i < records.length) {
      const until = performance.now() + SLICE_MS;
      do each(records[i++], index);
      while (i < records.length && performance.now() < until);
      await new Promise((resolve) => setImmediate(resolve));
      if (!running()) return;
    }
    segmentDone(index);
  }
}
