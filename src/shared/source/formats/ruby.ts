// Ruby backtraces:  app/models/user.rb:42:in `find'   and, from Ruby 3.4,
// /app/models/user.rb:42:in 'User#find'. The first line also carries the message.

import { isPseudoPath, oneLine, positiveInt, sourceLocation, type FrameMatch } from './reader.ts';

const FRAME = /^\s*(?:from\s+)?(\S.*?):(\d+):in\s+[`']([^`']+)'/;

export function readRubyFrame(lines: readonly string[], index: number): FrameMatch | undefined {
  const raw = lines[index]!;
  const m = FRAME.exec(raw);
  if (!m) return undefined;
  const [, path, lineText, fn] = m as unknown as [string, string, string, string];
  if (isPseudoPath(path)) return oneLine(raw, fn, undefined, false);
  return oneLine(raw, fn, sourceLocation(path, positiveInt(lineText), undefined, fn), isUserPath(path));
}

/** Gems, the standard library and the interpreter's own `<internal:…>` code. */
function isUserPath(path: string): boolean {
  return !/[\\/]gems[\\/]|[\\/]lib[\\/]ruby[\\/]\d/.test(path);
}
