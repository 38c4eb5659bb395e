// Profile files in the workspace, grouped by folder and read as a timeline when their
// names carry a time (`cpu-profile-<time>.prof`, the continuous-profiling convention).

export interface ProfileFile {
  path: string;
  /** Milliseconds since the epoch, from the name when it has one, else the file's mtime. */
  timeMs: number;
  timeFromName: boolean;
}

export interface ProfileFolder {
  folder: string;
  /** Oldest first. */
  files: ProfileFile[];
}

/** The time a file name carries: Unix seconds/ms/ns or an ISO-like date-time; undefined if none. */
export function timeInName(name: string): number | undefined {
  const base = name.replace(/^.*[\\/]/, '');
  const iso = /(\d{4})-?(\d{2})-?(\d{2})[T_-]?(\d{2})[:\-.]?(\d{2})[:\-.]?(\d{2})(?:[.,](\d{1,3}))?(Z)?/.exec(base);
  if (iso) {
    const [, y, mo, d, h, mi, s, ms = '0', z] = iso;
    const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0'))] as const;
    const t = z ? Date.UTC(...parts) : new Date(...parts).getTime();
    if (Number.isFinite(t) && Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31) return t;
  }
  const epoch = /(?:^|\D)(\d{10}|\d{13}|\d{19})(?:\D|$)/.exec(base);
  if (epoch) {
    const digits = epoch[1];
    return digits.length === 10 ? Number(digits) * 1000 : digits.length === 13 ? Number(digits) : Number(BigInt(digits) / 1_000_000n);
  }
  return undefined;
}

export function groupProfileFiles(files: { path: string; mtimeMs: number }[]): ProfileFolder[] {
  const byFolder = new Map<string, ProfileFile[]>();
  for (const f of files) {
    const folder = f.path.replace(/[\\/][^\\/]*$/, '') || '/';
    const fromName = timeInName(f.path);
    const list = byFolder.get(folder) ?? [];
    list.push({ path: f.path, timeMs: fromName ?? f.mtimeMs, timeFromName: fromName !== undefined });
    byFolder.set(folder, list);
  }
  return [...byFolder].map(([folder, list]) => ({ folder, files: list.sort((a, b) => a.timeMs - b.timeMs || a.path.localeCompare(b.path)) }))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** A glob (`**`, `*`, `?`) as a regular expression over `/`-separated relative paths. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
