// The profile's functions: frames that differ only in line or column (the same function
// seen at several call sites) merge into one function, as pprof's default granularity
// does, so a flamegraph shows one box per function per stack.

import type { CompactProfile } from '../../../../src/protocol/profile.ts';

export interface FunctionTable {
  count: number;
  name: string[];
  file: string[];
  /** The smallest line the function was seen at (its first line, near enough); 0 when unknown. */
  line: Uint32Array;
  kind: Uint8Array;
  /** The function of each frame. */
  ofFrame: Uint32Array;
  /** The function of each stack (the function of its frame). */
  ofStack: Uint32Array;
}

export function functionTable(p: CompactProfile): FunctionTable {
  const frames = p.frameFunction.length;
  const ofFrame = new Uint32Array(frames);
  const keys = new Map<string, number>();
  const name: string[] = [];
  const file: string[] = [];
  const lines: number[] = [];
  const kinds: number[] = [];
  for (let f = 0; f < frames; f++) {
    const fn = p.frameFunction[f];
    const fl = p.frameFile[f];
    const kind = p.frameKind[f];
    const key = `${fn}:${fl}:${kind}`;
    let id = keys.get(key);
    const line = p.frameLine[f];
    if (id === undefined) {
      id = name.length;
      keys.set(key, id);
      name.push(p.strings[fn] || (p.strings[fl] ? `(anonymous ${p.strings[fl]})` : '(unknown)'));
      file.push(p.strings[fl] ?? '');
      lines.push(line);
      kinds.push(kind);
    } else if (line && (!lines[id] || line < lines[id])) lines[id] = line;
    ofFrame[f] = id;
  }
  const ofStack = new Uint32Array(p.stackFrame.length);
  for (let s = 0; s < ofStack.length; s++) ofStack[s] = ofFrame[p.stackFrame[s]];
  return { count: name.length, name, file, line: Uint32Array.from(lines), kind: Uint8Array.from(kinds), ofFrame, ofStack };
}
