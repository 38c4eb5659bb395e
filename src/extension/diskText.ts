// How the status bar and the Endpoint view describe the engine's disk tier (pure, so it is tested).

import type { DiskStatus } from '../protocol/api.ts';
import { formatBytes, formatCount } from './views/format.ts';

export interface DiskSummary {
  /** One line: bytes against the budget, segments, oldest data. */
  description: string;
  tooltip: string;
  warning: boolean;
}

export function diskSummary(disk: DiskStatus | undefined): DiskSummary {
  if (!disk) return { description: 'off (memory only)', tooltip: 'Data is kept in memory only; set loupe.persistence to keep it on disk across restarts.', warning: false };
  const oldest = disk.oldestReceivedAt ? `, since ${disk.oldestReceivedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  const loading = disk.reload?.state === 'loading' ? Math.floor((100 * disk.reload.loadedBytes) / Math.max(1, disk.reload.totalBytes)) : undefined;
  const a = disk.reload?.aggregates;
  const counting = a?.state === 'counting' ? Math.floor((100 * a.scannedBytes) / Math.max(1, a.totalBytes)) : undefined;
  const progress = loading !== undefined ? `loading ${loading} % · ` : counting !== undefined ? `counting ${counting} % · ` : '';
  const description = disk.error
    ? 'stopped: see tooltip'
    : `${progress}${formatBytes(disk.bytes)} of ${formatBytes(disk.budgetBytes)} · ${formatCount(disk.segments)} segments${oldest}`;
  const lines = [
    `Disk: ${formatBytes(disk.bytes)} of ${formatBytes(disk.budgetBytes)} in ${disk.dir} (${formatCount(disk.segments)} segments${oldest}), kept up to ${disk.retentionHours} h.`,
    `On disk: ${formatCount(disk.counts.spans)} spans, ${formatCount(disk.counts.logs)} logs, ${formatCount(disk.counts.metricPoints)} metric points; what memory evicted is answered from there.`,
  ];
  if (loading !== undefined) lines.push(`Loading the last session's newest ${formatBytes(disk.reload!.totalBytes)} back into memory: ${loading} % done. Until then queries answer from disk (slower).`);
  if (counting !== undefined) lines.push(`Counting the older ${formatBytes(a!.totalBytes)} on disk into the golden signals, operations, exceptions and log patterns: ${counting} % done. Until then they cover the newest data and the part counted.`);
  if (disk.shares?.full) lines.push('Operations, exceptions, functions and log patterns of data memory evicted are at their memory cap (a quarter of the budget): they cover less than the disk holds.');
  const d = disk.dropped;
  if (d.segments) lines.push(`Dropped from disk (budget or age): ${formatCount(d.spans)} spans, ${formatCount(d.logs)} logs, ${formatCount(d.metricPoints)} metric points.`);
  const damage = disk.damage;
  if (damage.tornBytes || damage.damagedRecords) lines.push(`Damage found and skipped: ${formatBytes(damage.tornBytes)} torn tail, ${formatCount(damage.damagedRecords)} damaged records.`);
  if (disk.error) lines.push(disk.error);
  return { description, tooltip: lines.join('\n'), warning: !!disk.error };
}
