// How compare figures read: milliseconds from the API, shown as durations with a sign.

import { formatDuration } from '../ui/format.ts';

export function ms(value: number): string {
  return formatDuration(value * 1e6);
}

export function signed(valueMs: number): string {
  return `${valueMs > 0 ? '+' : valueMs < 0 ? '−' : '±'}${ms(Math.abs(valueMs))}`;
}
