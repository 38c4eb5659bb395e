// Paths from containers or other machines, mapped onto the workspace: explicit prefix
// mappings (the `loupe.pathMappings` setting), then a best-effort match on the tail.

import { fileUrlToPath, isWindowsPath, pathSegments } from './paths.ts';

export interface PathMapping {
  from: string;
  to: string;
}

/**
 * Replaces the longest matching `from` prefix with its `to`. Prefixes match whole
 * segments (`/app` maps `/app/x.ts`, not `/apple/x.ts`), either separator matches
 * either, and Windows paths compare without regard to case. file:// URLs are read as
 * paths; a path no mapping matches comes back unchanged, apart from that.
 */
export function mapPath(path: string, mappings: readonly PathMapping[]): string {
  const source = fileUrlToPath(path);
  let best: { mapping: PathMapping; rest: string[]; length: number } | undefined;
  for (const mapping of mappings) {
    const from = fileUrlToPath(mapping.from);
    const rest = remainderAfter(source, from);
    const length = pathSegments(from).length;
    if (rest && (!best || length > best.length)) best = { mapping, rest, length };
  }
  if (!best) return source;
  const to = fileUrlToPath(best.mapping.to);
  const separator = to.includes('\\') && !to.includes('/') ? '\\' : '/';
  const base = to.replace(/[\\/]+$/, '');
  return best.rest.length ? [base, ...best.rest].join(separator) : base || separator;
}

/** The segments of `path` after the prefix `from`, or undefined when it does not start so. */
function remainderAfter(path: string, from: string): string[] | undefined {
  // "/" is a real mapping (every absolute path); "" is a mistake, not a match-all.
  if (from.trim() === '' || isRooted(path) !== isRooted(from)) return undefined;
  const prefix = pathSegments(from);
  const segments = pathSegments(path);
  if (prefix.length > segments.length) return undefined;
  const ignoreCase = isWindowsPath(path) || isWindowsPath(from);
  const same = (a: string, b: string) => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  for (let i = 0; i < prefix.length; i++) if (!same(prefix[i]!, segments[i]!)) return undefined;
  return segments.slice(prefix.length);
}

function isRooted(path: string): boolean {
  return /^[\\/]/.test(path) || isWindowsPath(path);
}

/**
 * The candidate (a workspace file) that shares the most trailing path segments with
 * `path`; at least the file name must match. Undefined when none does or when two
 * candidates match equally well: a wrong file is worse than none.
 */
export function matchByTail(path: string, candidates: readonly string[]): string | undefined {
  const wanted = pathSegments(fileUrlToPath(path));
  let best: string | undefined;
  let bestScore = 0;
  let tie = false;
  for (const candidate of candidates) {
    const score = sharedTail(wanted, pathSegments(candidate));
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0 && candidate !== best) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

function sharedTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
