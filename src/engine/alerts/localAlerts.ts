// The engine's alerts: rules in (`PUT /api/alerts/rules`, `--alert-rules`), an evaluation
// every few seconds on the golden-signal aggregates, state changes out to `/api/events`.

import type { AlertChange, AlertStatus } from '../../protocol/alerts.ts';
import type { FunctionStats } from '../../protocol/insights.ts';
import { AlertEvaluator } from './alertEvaluator.ts';
import { parseAlertConfig } from './alertRules.ts';
import type { SignalReader } from './signalReader.ts';

export const EVALUATION_INTERVAL_MS = 5000;

export class LocalAlerts {
  readonly evaluator = new AlertEvaluator();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reader: () => SignalReader,
    private readonly functions: () => FunctionStats[],
    private readonly announce: (changes: AlertChange[]) => void,
  ) {}

  /** Replaces the rules (throws AlertRuleError naming the bad field) and evaluates them at once. */
  setRules(body: unknown): void {
    this.evaluator.setConfig(parseAlertConfig(body));
    this.evaluate();
  }

  evaluate(nowNs = Date.now() * 1e6): AlertChange[] {
    const changes = this.evaluator.evaluate(this.reader(), nowNs);
    if (changes.length) this.announce(changes);
    return changes;
  }

  list(): AlertStatus[] {
    let fns: FunctionStats[] | undefined;
    return this.evaluator.list((service, route) => {
      fns ??= this.functions();
      return handlerOf(fns, service, route);
    });
  }

  start(intervalMs = EVALUATION_INTERVAL_MS): void {
    this.stop();
    this.timer = setInterval(() => this.evaluate(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  clear(): void {
    this.evaluator.clear();
  }
}

/**
 * The function that handles a route: spans with `code.function.name` whose name is the
 * route, or "METHOD route" as the HTTP conventions name server spans.
 */
export function handlerOf(fns: readonly FunctionStats[], service: string, route: string): AlertStatus['code'] {
  let best: FunctionStats | undefined;
  for (const fn of fns) {
    if (fn.service !== service || !fn.file) continue;
    if (!fn.operations.some((op) => op === route || op.endsWith(` ${route}`))) continue;
    if (!best || fn.count > best.count) best = fn;
  }
  return best && { file: best.file, ...(best.line ? { line: best.line } : {}), function: best.function };
}
