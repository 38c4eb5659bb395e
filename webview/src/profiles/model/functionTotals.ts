// Per-function figures from a laid-out call tree: self and total for the top table
// (total counts a function once per stack, as `go tool pprof -top -cum` does), and the
// share of the boxes a search matches.

import type { FlameLayout } from './flameLayout.ts';

/**
 * Visits boxes in layout order (a preorder) telling `visit` whether the box's function
 * already appears among its ancestors.
 */
function walk(layout: FlameLayout, functions: number, visit: (box: number, repeated: boolean, matchedAbove: boolean) => void, matches?: Uint8Array): void {
  const onPath = new Int32Array(functions + 1);
  let matchedOnPath = 0;
  const path: number[] = [];
  for (let b = 0; b < layout.count; b++) {
    const parent = layout.parent[b];
    while (path.length && path[path.length - 1] !== parent) {
      const gone = layout.func[path.pop()!];
      if (gone >= 0) {
        onPath[gone]--;
        if (matches?.[gone]) matchedOnPath--;
      }
    }
    const f = layout.func[b];
    visit(b, f >= 0 && onPath[f] > 0, matchedOnPath > 0);
    if (f >= 0) {
      onPath[f]++;
      if (matches?.[f]) matchedOnPath++;
    }
    path.push(b);
  }
}

export interface FunctionFigures {
  self: Float64Array;
  total: Float64Array;
  /** Base side's figures, for a diff. */
  baseSelf?: Float64Array;
  baseTotal?: Float64Array;
}

export function functionFigures(layout: FlameLayout, functions: number): FunctionFigures {
  const self = new Float64Array(functions);
  const total = new Float64Array(functions);
  const diff = layout.baseTotal && layout.baseSelf;
  const baseSelf = diff ? new Float64Array(functions) : undefined;
  const baseTotal = diff ? new Float64Array(functions) : undefined;
  walk(layout, functions, (b, repeated) => {
    const f = layout.func[b];
    if (f < 0) return;
    self[f] += layout.self[b];
    if (baseSelf) baseSelf[f] += layout.baseSelf![b];
    if (!repeated) {
      total[f] += layout.total[b];
      if (baseTotal) baseTotal[f] += layout.baseTotal![b];
    }
  });
  return { self, total, baseSelf, baseTotal };
}

/** The weight under boxes whose function matches, each stack counted once. */
export function matchedWeight(layout: FlameLayout, functions: number, matches: Uint8Array): number {
  let sum = 0;
  walk(layout, functions, (b, _repeated, matchedAbove) => {
    const f = layout.func[b];
    if (f >= 0 && matches[f] && !matchedAbove) sum += layout.total[b];
  }, matches);
  return sum;
}

/** Which functions' names match `pattern` (a regular expression, else plain text). */
export function matchFunctions(names: readonly string[], pattern: string): { matches: Uint8Array; count: number; error?: string } {
  const matches = new Uint8Array(names.length);
  let re: RegExp;
  let error: string | undefined;
  try {
    re = new RegExp(pattern, 'i');
  } catch (err) {
    error = `not a regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')}); searching for the text`;
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
  let count = 0;
  for (let i = 0; i < names.length; i++) if (re.test(names[i])) { matches[i] = 1; count++; }
  return { matches, count, error };
}
