// A call tree merged by function: each node is one function called along one path from
// the root. Built from the profile's stacks (flame graph), from parts of them (sandwich)
// or from two profiles at once (diff). Node 0 is the root ("all"). Its columns are typed
// arrays sized for the expected node count up front (doubling past it): a big profile's
// million nodes cost no per-node array growth.

import { PairIndex } from './pairIndex.ts';

export class CallTree {
  private parents: Int32Array;
  private funcs: Int32Array;
  private selves: Float64Array[];
  private count = 1;
  private readonly index: PairIndex;

  /** `expected`: about how many nodes there will be (the table grows past it). */
  constructor(readonly sides = 1, expected = 1024) {
    const capacity = Math.max(16, expected + 1);
    this.parents = new Int32Array(capacity);
    this.funcs = new Int32Array(capacity);
    this.parents[0] = -1;
    this.funcs[0] = -1;
    this.selves = Array.from({ length: sides }, () => new Float64Array(capacity));
    this.index = new PairIndex(expected);
  }

  get size(): number {
    return this.count;
  }

  /** Parent of each node (-1 for the root); parents precede children. Read it once, not per node. */
  get parent(): Int32Array {
    return this.parents.subarray(0, this.count);
  }

  /** Function of each node (-1 for the root). */
  get func(): Int32Array {
    return this.funcs.subarray(0, this.count);
  }

  /** Own weight of each node (per side, for a diff: `self[0]` is the base). */
  get self(): Float64Array[] {
    return this.selves.map((s) => s.subarray(0, this.count));
  }

  /** The node for `func` called from `parent`, made on first use. */
  child(parent: number, func: number): number {
    const made = this.count;
    const node = this.index.getOrSet(parent, func, made);
    if (node >= 0) return node;
    if (made === this.parents.length) this.grow();
    this.parents[made] = parent;
    this.funcs[made] = func;
    this.count++;
    return made;
  }

  add(node: number, weight: number, side = 0): void {
    this.selves[side][node] += weight;
  }

  /** Totals per node (own weight plus every descendant's), per side. Parents precede children. */
  totals(): Float64Array[] {
    const parent = this.parents;
    return this.selves.map((self) => {
      const total = self.slice(0, this.count);
      for (let n = total.length - 1; n > 0; n--) total[parent[n]] += total[n];
      return total;
    });
  }

  private grow(): void {
    const bigger = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.parents = bigger(this.parents);
    this.funcs = bigger(this.funcs);
    this.selves = this.selves.map(bigger);
  }
}
