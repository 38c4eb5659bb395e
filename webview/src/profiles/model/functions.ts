// The profile's functions: frames that differ only in line or column (the same function
// seen at several call sites) merge into one function, as pprof's default granularity
// does, so a flamegraph shows one box per function per stack.

import type { CompactProfile } from '../../../../src/protocol/profile.ts';
import { PairIndex } from './pairIndex.ts';

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
  // Keyed by (function name, file) string indices; the kind rarely differs and is checked after.
  const keys = new PairIndex(frames);
  const name: string[] = [];
  const file: string[] = [];
  const lines: number[] = [];
  const kinds: number[] = [];
  const sameNameOtherKind = new Map<number, number>();
  for (let f = 0; f < frames; f++) {
    const fn = p.frameFunction[f];
    const fl = p.frameFile[f];
    const kind = p.frameKind[f];
    let id = keys.get(fn, fl);
    while (id >= 0 && kinds[id] !== kind) id = sameNameOtherKind.get(id) ?? -1;
    const line = p.frameLine[f];
    if (id < 0) {
      id = name.length;
      const first = keys.get(fn, fl);
      if (first < 0) keys.set(fn, fl, id);
      else sameNameOtherKind.set(lastOfChain(sameNameOtherKind, first), id);
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

function lastOfChain(next: Map<number, number>, id: number): number {
  for (let n = next.get(id); n !== undefined; n = next.get(id)) id = n;
  return id;
}
