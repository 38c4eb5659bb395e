// Comparing two profiles: one function space for both (by name, file and kind), and the
// colour of a box by how its weight changed.

import type { FunctionTable } from './functions.ts';

/** Both tables re-numbered into one space; `ofStack` of each is rewritten to it. */
export function unifyFunctions(a: FunctionTable, b: FunctionTable): { table: FunctionTable; a: FunctionTable; b: FunctionTable } {
  const keys = new Map<string, number>();
  const name: string[] = [], file: string[] = [], line: number[] = [], kind: number[] = [];
  const remap = (t: FunctionTable) => {
    const to = new Uint32Array(t.count);
    for (let f = 0; f < t.count; f++) {
      const key = `${t.name[f]}\u0000${t.file[f]}\u0000${t.kind[f]}`;
      let id = keys.get(key);
      if (id === undefined) {
        id = name.length;
        keys.set(key, id);
        name.push(t.name[f]); file.push(t.file[f]); line.push(t.line[f]); kind.push(t.kind[f]);
      }
      to[f] = id;
    }
    return { ...t, ofFrame: t.ofFrame.map((f) => to[f]), ofStack: t.ofStack.map((f) => to[f]) };
  };
  const ra = remap(a);
  const rb = remap(b);
  const table: FunctionTable = { count: name.length, name, file, line: Uint32Array.from(line), kind: Uint8Array.from(kind), ofFrame: new Uint32Array(0), ofStack: new Uint32Array(0) };
  return { table, a: { ...ra, count: table.count }, b: { ...rb, count: table.count } };
}

/**
 * The change of a box from base to new as -1…1: (new − base) / larger. With `scale`,
 * the base is first scaled (e.g. to the new profile's total, so a longer capture does
 * not read as everything getting slower).
 */
export function change(base: number, now: number, scale = 1): number {
  const b = base * scale;
  const larger = Math.max(b, now);
  return larger > 0 ? (now - b) / larger : 0;
}

// Blue for less, orange-red for more: a diverging scale that reads for the common kinds
// of colour blindness (unlike red/green). Endpoints from ColorBrewer's RdBu family.
const LESS: [number, number, number] = [33, 102, 172];
const MORE: [number, number, number] = [214, 96, 77];
const SAME: [number, number, number] = [190, 190, 190];

export function changeColour(c: number): string {
  const t = Math.min(1, Math.abs(c));
  // Small changes stay near grey; the eye sees a difference from about 10 %.
  const k = Math.sqrt(t);
  const end = c < 0 ? LESS : MORE;
  const mix = (i: number) => Math.round(SAME[i] + (end[i] - SAME[i]) * k);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}
