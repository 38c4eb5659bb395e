// The call trees the views draw, each built from a profile's stack weights: the whole
// profile (flame graph), the callers and callees of one function (sandwich), and two
// profiles side by side (diff).

import type { CompactProfile } from '../../../../src/protocol/profile.ts';
import { CallTree } from './callTree.ts';
import type { FunctionTable } from './functions.ts';

/** Each stack's node in `tree`, merging stacks that run through the same functions. */
function addStacks(tree: CallTree, p: CompactProfile, fns: FunctionTable, weights: Float64Array, side = 0): void {
  const nodeOf = new Int32Array(p.stackParent.length).fill(-1);
  const resolve = (s: number): number => {
    // Stacks usually follow their parents; walk up iteratively when one does not.
    const chain: number[] = [];
    let at = s;
    while (at >= 0 && nodeOf[at] < 0) { chain.push(at); at = p.stackParent[at]; }
    let node = at >= 0 ? nodeOf[at] : 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      node = tree.child(node, fns.ofStack[chain[i]]);
      nodeOf[chain[i]] = node;
    }
    return node;
  };
  for (let s = 0; s < weights.length; s++) {
    if (weights[s] === 0) continue;
    const parent = p.stackParent[s];
    // The common case: the parent came first and already has its node.
    const node = parent < 0 ? tree.child(0, fns.ofStack[s]) : nodeOf[parent] >= 0 ? tree.child(nodeOf[parent], fns.ofStack[s]) : resolve(s);
    nodeOf[s] = node;
    tree.add(node, weights[s], side);
  }
}

export function flameTree(p: CompactProfile, fns: FunctionTable, weights: Float64Array): CallTree {
  const tree = new CallTree(1, p.stackParent.length);
  addStacks(tree, p, fns, weights);
  return tree;
}

/** Two profiles in one tree: side 0 is the base, side 1 the new one. Function ids are shared. */
export function diffTree(functions: number, sides: [{ p: CompactProfile; fns: FunctionTable; weights: Float64Array }, { p: CompactProfile; fns: FunctionTable; weights: Float64Array }]): CallTree {
  const tree = new CallTree(2, sides[0].p.stackParent.length + sides[1].p.stackParent.length);
  sides.forEach(({ p, fns, weights }, side) => addStacks(tree, p, fns, weights, side));
  return tree;
}

/** For each stack, its outermost stack (itself or an ancestor) whose function is `func`, or -1. */
function outermost(p: CompactProfile, fns: FunctionTable, func: number): Int32Array {
  const outer = new Int32Array(p.stackParent.length).fill(-2);
  const get = (s: number): number => {
    const chain: number[] = [];
    let at = s;
    while (at >= 0 && outer[at] === -2) { chain.push(at); at = p.stackParent[at]; }
    let o = at >= 0 ? outer[at] : -1;
    for (let i = chain.length - 1; i >= 0; i--) {
      if (o < 0 && fns.ofStack[chain[i]] === func) o = chain[i];
      outer[chain[i]] = o;
    }
    return o;
  };
  for (let s = 0; s < outer.length; s++) get(s);
  return outer;
}

/**
 * What `func` calls: every stack through it, from its outermost call down, merged under
 * one root (recursion counts once, as in the top table's total).
 */
export function calleesTree(p: CompactProfile, fns: FunctionTable, weights: Float64Array, func: number): CallTree {
  const tree = new CallTree();
  const outer = outermost(p, fns, func);
  const top = tree.child(0, func);
  const nodeOf = new Int32Array(outer.length).fill(-1);
  const resolve = (s: number): number => {
    const chain: number[] = [];
    let at = s;
    while (at !== outer[s] && nodeOf[at] < 0) { chain.push(at); at = p.stackParent[at]; }
    let node = at === outer[s] ? top : nodeOf[at];
    for (let i = chain.length - 1; i >= 0; i--) {
      node = tree.child(node, fns.ofStack[chain[i]]);
      nodeOf[chain[i]] = node;
    }
    return node;
  };
  for (let s = 0; s < outer.length; s++) {
    if (outer[s] >= 0 && weights[s] !== 0) tree.add(s === outer[s] ? top : resolve(s), weights[s]);
  }
  return tree;
}

/**
 * Who calls `func`: the paths from each outermost call of it up to the root, inverted
 * (`func` at the top, its callers below), weighted by the time spent in `func`.
 */
export function callersTree(p: CompactProfile, fns: FunctionTable, weights: Float64Array, func: number): CallTree {
  const tree = new CallTree();
  const outer = outermost(p, fns, func);
  const inside = new Float64Array(outer.length);
  for (let s = 0; s < outer.length; s++) if (outer[s] >= 0) inside[outer[s]] += weights[s];
  const top = tree.child(0, func);
  for (let o = 0; o < outer.length; o++) {
    if (inside[o] === 0) continue;
    let node = top;
    for (let at = p.stackParent[o]; at >= 0; at = p.stackParent[at]) node = tree.child(node, fns.ofStack[at]);
    tree.add(node, inside[o]);
  }
  return tree;
}
