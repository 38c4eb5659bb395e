// A call tree merged by function: each node is one function called along one path from
// the root. Built from the profile's stacks (flame graph), from parts of them (sandwich)
// or from two profiles at once (diff). Node 0 is the root ("all").

import { PairIndex } from './pairIndex.ts';

export class CallTree {
  readonly parent: number[] = [-1];
  readonly func: number[] = [-1];
  /** Own weight of each node (per side, for a diff: `self[0]` is the base). */
  readonly self: number[][];
  private readonly index: PairIndex;

  /** `functions`: how many functions there are (keys of children are parent × it + function). */
  /** `expected`: about how many nodes there will be (the table grows past it). */
  constructor(readonly sides = 1, expected = 1024) {
    this.self = Array.from({ length: sides }, () => [0]);
    this.index = new PairIndex(expected);
  }

  get size(): number {
    return this.parent.length;
  }

  /** The node for `func` called from `parent`, made on first use. */
  child(parent: number, func: number): number {
    const made = this.parent.length;
    const node = this.index.getOrSet(parent, func, made);
    if (node >= 0) return node;
    this.parent.push(parent);
    this.func.push(func);
    for (const s of this.self) s.push(0);
    return made;
  }

  add(node: number, weight: number, side = 0): void {
    this.self[side][node] += weight;
  }

  /** Totals per node (own weight plus every descendant's), per side. Parents precede children. */
  totals(): Float64Array[] {
    return this.self.map((self) => {
      const total = Float64Array.from(self);
      for (let n = total.length - 1; n > 0; n--) total[this.parent[n]] += total[n];
      return total;
    });
  }
}
