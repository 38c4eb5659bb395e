// Sample values as people read them: time in its unit, bytes in KB/MB/GB, counts with
// separators, and shares as percentages.

import type { SampleType } from '../../../src/protocol/profile.ts';
import { formatDuration } from '../ui/format.ts';

const NANOS: Record<string, number> = { nanoseconds: 1, nanosecond: 1, ns: 1, microseconds: 1e3, us: 1e3, milliseconds: 1e6, ms: 1e6, seconds: 1e9, s: 1e9 };

export function formatValue(value: number, type: SampleType | undefined): string {
  const unit = (type?.unit ?? '').toLowerCase();
  if (unit in NANOS) return formatDuration(value * NANOS[unit]);
  if (unit === 'bytes' || unit === 'byte') return formatSize(value);
  const n = Math.round(value).toLocaleString('en-US');
  return unit && unit !== 'count' ? `${n} ${unit}` : n;
}

function formatSize(n: number): string {
  const a = Math.abs(n);
  if (a < 1024) return `${Math.round(n)} B`;
  if (a < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  if (a < 1073741824) return `${(n / 1048576).toFixed(1)} MB`;
  return `${(n / 1073741824).toFixed(2)} GB`;
}

export function formatShare(part: number, whole: number): string {
  if (!(whole > 0)) return '—';
  const p = (part / whole) * 100;
  return p >= 10 ? `${p.toFixed(1)}%` : p >= 0.01 || p === 0 ? `${p.toFixed(2)}%` : '<0.01%';
}

export function sampleTypeLabel(t: SampleType): string {
  return t.unit && t.unit !== 'count' ? `${t.type} (${t.unit})` : t.type;
}
