// .NET stacks:   at Users.Api.UserRepository.Find(Int32 id) in C:\src\Users\UserRepository.cs:line 42
// Frames without debug symbols have no " in …:line N" part and are read last, so that a
// Java or V8 frame is never mistaken for one.

import { oneLine, positiveInt, sourceLocation, type FrameMatch } from './reader.ts';

const WITH_FILE = /^\s*at\s+(.+?)\s+in\s+(.+):line\s+(\d+)\s*$/;
const WITHOUT_FILE = /^\s*at\s+([^\s()]+)\(([^()]*)\)\s*$/;

export function readDotnetFrameWithFile(lines: readonly string[], index: number): FrameMatch | undefined {
  const raw = lines[index]!;
  const m = WITH_FILE.exec(raw);
  if (!m) return undefined;
  const fn = methodName(m[1]!);
  return oneLine(raw, fn, sourceLocation(m[2]!, positiveInt(m[3]), undefined, fn), isUserCode(fn));
}

export function readDotnetFrameWithoutFile(lines: readonly string[], index: number): FrameMatch | undefined {
  const raw = lines[index]!;
  const m = WITHOUT_FILE.exec(raw);
  // Parameters are "Type name" pairs; a JVM "(File.java)" has no space.
  if (!m || (m[2] !== '' && !m[2]!.includes(' '))) return undefined;
  return oneLine(raw, m[1]!, undefined, false);
}

/** `Ns.Cls.Method(Int32 id)` → `Ns.Cls.Method`. */
function methodName(signature: string): string {
  const open = signature.indexOf('(');
  return open > 0 ? signature.slice(0, open) : signature;
}

function isUserCode(fn: string): boolean {
  return !/^(?:System|Microsoft)\./.test(fn);
}
