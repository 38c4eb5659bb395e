// Every disk segment's share of the operations, functions and exceptions (coldSpans.ts), summed as
// the shares grow and taken off when a segment drops: a query merges these sums, not
// one share per segment, so it costs the same however many segments the disk keeps.

import { LatencySketch } from '../signals/latencySketch.ts';
import type { ColdException, ColdFunction, ColdOperation, ColdSpans } from './coldSpans.ts';
import type { FunctionCode } from './functionTally.ts';

/** An exception's sum, and the order of the share its latest occurrence is in. */
interface ExceptionSum extends ColdException {
  latestOrder: number;
}

/** A function's sum, and the order of the shares its namespace and line came from (-1: none gave one). */
interface FunctionSum extends ColdFunction {
  namespaceOrder: number;
  lineOrder: number;
}

export class ColdTotals {
  readonly operations = new Map<string, ColdOperation>();
  /** With the newest namespace and line of any share, as a merge of the shares, oldest first, gives them. */
  readonly functions = new Map<string, FunctionSum>();
  readonly exceptions = new Map<string, ExceptionSum>();

  /** The sum a span of `code`'s function in the share of `order` adds to (made on first use), given the span's namespace and line. */
  functionSum(code: FunctionCode, service: string, order: number): ColdFunction {
    let sum = this.functions.get(code.key);
    if (!sum) this.functions.set(code.key, sum = { service, function: code.function, file: code.file, namespace: '', line: 0, errors: 0, latency: new LatencySketch(), operations: new Map(), namespaceOrder: -1, lineOrder: -1 });
    offerCode(sum, code.namespace, code.line, order);
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
      if (sum.namespaceOrder !== dropped.order && sum.lineOrder !== dropped.order) continue;
      // Its namespace or line went: the newest of the shares left that give one.
      Object.assign(sum, { namespace: '', line: 0, namespaceOrder: -1, lineOrder: -1 });
      for (const share of kept) {
        const other = share.functions.get(key);
        if (other) offerCode(sum, other.namespace, other.line, share.order);
      }
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

/**
 * Gives the sum the namespace and line (each unless empty) of a span in the share of
 * `order`, unless a later share gave one: of one share, the span added last (the newest,
 * as the share keeps it itself).
 */
function offerCode(sum: FunctionSum, namespace: string | undefined, line: number | undefined, order: number): void {
  if (namespace && order >= sum.namespaceOrder) {
    sum.namespace = namespace;
    sum.namespaceOrder = order;
  }
  if (line && order >= sum.lineOrder) {
    sum.line = line;
    sum.lineOrder = order;
  }
}

/** Takes `part` off the sum at `key`; returns the sum, or undefined once nothing is left of it (it goes). */
function subtract<T extends { errors: number; latency: LatencySketch }>(sums: Map<string, T>, key: string, part: { errors: number; latency: LatencySketch }): T | undefined {
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
