// How times, durations and sizes read in the UI.

/** A duration in nanoseconds, with 3 significant digits and the unit that fits. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '—';
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${trim(ns / 1_000)} µs`;
  if (ns < 1_000_000_000) return `${trim(ns / 1_000_000)} ms`;
  if (ns < 60_000_000_000) return `${trim(ns / 1_000_000_000)} s`;
  const s = Math.round(ns / 1_000_000_000);
  return s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function trim(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Unix nanoseconds (decimal string) as milliseconds, for Date. */
export function nanosToMillis(ns: string | undefined): number {
  if (!ns) return 0;
  // Split so the digits beyond double precision do not matter.
  return ns.length > 6 ? Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6 : Number(ns) / 1e6;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds; the date too when it is not `today`. */
export function formatTimestamp(ns: string | undefined, today = new Date()): string {
  const ms = nanosToMillis(ns);
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(Math.floor(ms) % 1000, 3)}`;
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
