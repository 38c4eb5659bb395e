// Path text as telemetry carries it: POSIX or Windows, plain or a file:// URL.
// Pure string work, so the same rules hold in the webview and the extension host.

/** `C:\x`, `c:/x`: a drive letter, which URLs and comparisons treat specially. */
const DRIVE = /^[a-zA-Z]:[\\/]/;

export function isWindowsPath(path: string): boolean {
  return DRIVE.test(path) || path.startsWith('\\\\');
}

/** Whether the path can be opened as it is, without a workspace to resolve it against. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || isWindowsPath(path);
}

/**
 * `file:///home/me/a%20b.ts` → `/home/me/a b.ts`, `file:///C:/x.ts` → `C:/x.ts`,
 * `file://server/share/x.ts` → `//server/share/x.ts`; anything else is returned unchanged.
 */
export function fileUrlToPath(path: string): string {
  const match = /^file:\/\/([^/]*)(\/.*)?$/i.exec(path);
  if (!match) return path;
  const [, host, rest = '/'] = match;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    decoded = rest; // a stray % is more likely a literal than an escape
  }
  if (host && host.toLowerCase() !== 'localhost') return `//${host}${decoded}`;
  return /^\/[a-zA-Z]:\//.test(decoded) ? decoded.slice(1) : decoded;
}

/** Path segments, whichever separator the path uses; empty segments dropped. */
export function pathSegments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '');
}
