// Every disk segment's share of the operations, functions and exceptions (coldSpans.ts), summed as
// the shares grow and taken off when a segment drops: a query merges these sums, not
// one share per segment, so it costs the same however many segments the disk keeps.

import { LatencySketch } from '../signals/latencySketch.ts';
import type { ColdException, ColdFunction, ColdOperation, ColdSpans } from './coldSpans.ts';

/** An exception's sum, and the order of the share its latest occurrence is in. */
interface ExceptionSum extends ColdException {
  latestOrder: number;
}

export class ColdTotals {
  readonly operations = new Map<string, ColdOperation>();
  /** Namespace and line are left empty here: the newest share's win, found when asked (`functionsOf`). */
  private readonly functions = new Map<string, ColdFunction>();
  readonly exceptions = new Map<string, ExceptionSum>();

  /** The sum `key` adds a function's span to (made on first use). */
  functionSum(key: string, service: string, fn: string, file: string): ColdFunction {
    let sum = this.functions.get(key);
    if (!sum) this.functions.set(key, sum = { service, function: fn, file, namespace: '', line: 0, errors: 0, latency: new LatencySketch(), operations: new Map() });
    return sum;
  }

  /** Adds an occurrence of `e` (keyed `key`) in the share of `order`, as the share itself just did. */
  addException(key: string, e: ColdException, order: number, traceKey: string, time: bigint, describe: () => ColdException['latest']): void {
    let sum = this.exceptions.get(key);
    if (!sum) this.exceptions.set(key, sum = { service: e.service, type: e.type, message: e.message, count: 0, traces: new Map(), lastSeen: -1n, latest: undefined!, latestOrder: order });
    sum.count++;
    sum.traces.set(traceKey, (sum.traces.get(traceKey) ?? 0) + 1);
    // Of two as new, the one in the later share (or added later to the same) is the latest.
    if (time > sum.lastSeen || (time === sum.lastSeen && order >= sum.latestOrder)) {
      sum.lastSeen = time;
      sum.latest = describe();
      sum.latestOrder = order;
    }
  }

  /**
   * The functions summed, with the namespace and line the newest share that has one
   * gives (as a merge of the shares, oldest first, would): `shares` are oldest first.
   */
  functionsOf(shares: readonly ColdSpans[]): Map<string, ColdFunction> {
    for (const [key, sum] of this.functions) {
      sum.namespace = '';
      sum.line = 0;
      for (let s = shares.length - 1; s >= 0 && (!sum.namespace || !sum.line); s--) {
        const fn = shares[s].functions.get(key);
        if (!fn) continue;
        if (!sum.namespace) sum.namespace = fn.namespace;
        if (!sum.line) sum.line = fn.line;
      }
    }
    return this.functions;
  }

  /** `dropped` comes off the sums; `kept` are the shares left (an operation whose newest start went takes theirs). */
  take(dropped: ColdSpans, kept: Iterable<ColdSpans>): void {
    for (const [key, op] of dropped.operations) {
      const sum = subtract(this.operations, key, op);
      if (!sum || op.lastNs < sum.lastNs) continue;
      sum.lastNs = -1;
      for (const share of kept) {
        const other = share.operations.get(key);
        if (other && other.lastNs > sum.lastNs) { sum.lastNs = other.lastNs; sum.lastLo = other.lastLo; sum.lastHi = other.lastHi; }
      }
    }
    for (const [key, fn] of dropped.functions) {
      const sum = subtract(this.functions, key, fn);
      if (!sum) continue;
      for (const [name, n] of fn.operations) takeCount(sum.operations, name, n);
    }

    for (const [key, e] of dropped.exceptions) {
      const sum = this.exceptions.get(key);
      if (!sum) continue;
      sum.count -= e.count;
      if (sum.count <= 0) {
        this.exceptions.delete(key);
        continue;
      }
      for (const [trace, n] of e.traces) takeCount(sum.traces, trace, n);
      if (sum.latestOrder !== dropped.order) continue;
      // Its latest went: the newest of the shares left (the later one of two as new).
      sum.lastSeen = -1n;
      for (const share of kept) {
        const other = share.exceptions.get(key);
        if (other && other.lastSeen >= sum.lastSeen) Object.assign(sum, { lastSeen: other.lastSeen, latest: other.latest, latestOrder: share.order });
      }
    }
  }

  clear(): void {
    this.operations.clear();
    this.functions.clear();
    this.exceptions.clear();
  }
}

/** Takes `part` off the sum at `key`; returns the sum, or undefined once nothing is left of it (it goes). */
function subtract<T extends { errors: number; latency: LatencySketch }>(sums: Map<string, T>, key: string, part: T): T | undefined {
  const sum = sums.get(key);
  if (!sum) return undefined;
  sum.latency.subtract(part.latency);
  sum.errors -= part.errors;
  if (sum.latency.count > 0) return sum;
  sums.delete(key);
  return undefined;
}

/** Takes `n` off the count at `key`; a count that reaches 0 goes. */
function takeCount(counts: Map<string, number>, key: string, n: number): void {
  const left = (counts.get(key) ?? 0) - n;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
