// Alerts evaluated on the aggregates every few seconds. Each rule on each route it
// watches moves inactive → pending (the condition holds) → firing (it held for
// `forSeconds`) → resolved (it stayed clear for a while). Leaving `firing` takes a clearly
// better value than entering it did (hysteresis), so noise around a threshold neither
// fires (pending falls back at once) nor flaps (firing holds until the value is clear).

import type { AlertChange, AlertRule, AlertState, AlertStatus, BuiltInRuleName, BuiltInRuleSettings } from '../../protocol/alerts.ts';
import type { SignalFigures } from '../../protocol/api.ts';
import { BUILT_IN_DEFAULTS, BUILT_IN_NAMES, type AlertConfig } from './alertRules.ts';
import { describeValue } from './alertText.ts';
import type { RouteRef, SignalReader } from './signalReader.ts';

const NS = 1e9;
/** User rules: the value must come back this far past the threshold (relatively) to resolve. */
const HYSTERESIS = 0.1;
/** Resolved alerts stay listed (and marked on charts) this long. */
const KEEP_RESOLVED_NS = 3600 * NS;

interface Instance {
  key: string;
  name: string;
  builtIn?: BuiltInRuleName;
  service: string;
  route: string | null;
  source: 'spans' | 'metrics';
  signal?: string;
  state: AlertState;
  sinceNs: number;
  value: number | null;
  threshold: number | null;
  baseline?: number | null;
  /** Built-ins: the baseline as it was when the route went bad, so the regression does not become its own baseline. */
  frozen?: { figures: SignalFigures; atNs: number };
  clearSinceNs?: number;
  firedValue?: number;
  /** Built-ins: the baseline the fired value was compared with. */
  firedBaseline?: number | null;
  firedAtNs?: number;
  resolvedAtNs?: number;
  message: string;
}

/** What one evaluation says of one instance. */
interface Verdict {
  value: number | null;
  threshold: number | null;
  baseline?: number | null;
  /** The condition holds. */
  breach: boolean;
  /** Firing continues: the value is not yet clearly past the threshold the other way. */
  hold: boolean;
  /** Built-ins: the baseline window's figures, frozen when the route goes bad. */
  baseFigures?: SignalFigures;
}

export class AlertEvaluator {
  private config: AlertConfig = { rules: [], builtIn: structuredClone(BUILT_IN_DEFAULTS) };
  private instances = new Map<string, Instance>();
  lastEvaluationMs = 0;
  /** The process's CPU time over the last round: on a busy machine, wall time also counts waiting for a core. */
  lastEvaluationCpuMs = 0;
  lastEvaluatedAtNs = 0;

  setConfig(config: AlertConfig): void {
    // Shortest windows first: the reader extends each route's merge as windows grow.
    this.config = { ...config, rules: [...config.rules].sort((a, b) => (a.windowSeconds ?? 60) - (b.windowSeconds ?? 60)) };
    // Instances of rules that are gone (or switched off) go with them; the rest keep their state.
    const names = new Set([...config.rules.map((r) => r.name), ...BUILT_IN_NAMES.filter((n) => config.builtIn[n].enabled)]);
    for (const [key, inst] of this.instances) if (!names.has(inst.name)) this.instances.delete(key);
  }

  get rules(): AlertConfig {
    return this.config;
  }

  /** One round at time `nowNs`; returns the state changes. */
  evaluate(reader: SignalReader, nowNs: number): AlertChange[] {
    const began = performance.now();
    const cpu = process.cpuUsage();
    const changes: AlertChange[] = [];
    const seen = new Set<string>();
    for (const rule of this.config.rules) {
      const route = rule.route ?? null;
      const inst = this.instance(rule.name, undefined, rule.service, route, reader.sourceOf(rule.service), nowNs);
      inst.signal = rule.signal;
      seen.add(inst.key);
      this.step(inst, this.judgeRule(rule, reader, nowNs, inst.state === 'firing'), rule.forSeconds, nowNs, changes);
    }
    const builtIns = BUILT_IN_NAMES.filter((n) => this.config.builtIn[n].enabled);
    if (builtIns.length) {
      for (const ref of reader.routes()) {
        for (const name of builtIns) {
          const settings = this.config.builtIn[name];
          const key = keyOf(name, ref.service, ref.route);
          const existing = this.instances.get(key);
          const verdict = this.judgeBuiltIn(name, settings, ref, reader, nowNs, existing);
          // Quiet routes hold no state: only those that went bad (or did lately) are kept.
          if (!existing && !verdict.breach) continue;
          const inst = existing ?? this.instance(name, name, ref.service, ref.route, ref.source, nowNs);
          if (verdict.breach && !inst.frozen && verdict.baseFigures) inst.frozen = { figures: verdict.baseFigures, atNs: nowNs };
          seen.add(key);
          this.step(inst, verdict, settings.forSeconds, nowNs, changes);
        }
      }
    }
    for (const [key, inst] of this.instances) {
      if (seen.has(key)) continue;
      // A route no longer known (data cleared): its alert resolves.
      if (inst.state !== 'inactive') this.step(inst, { value: null, threshold: inst.threshold, breach: false, hold: false }, 0, nowNs, changes, true);
    }
    for (const [key, inst] of this.instances) {
      if (inst.builtIn && inst.state === 'inactive' && (inst.resolvedAtNs === undefined || nowNs - inst.resolvedAtNs > KEEP_RESOLVED_NS)) this.instances.delete(key);
    }
    this.lastEvaluatedAtNs = nowNs;
    this.lastEvaluationMs = performance.now() - began;
    const used = process.cpuUsage(cpu);
    this.lastEvaluationCpuMs = (used.user + used.system) / 1000;
    return changes;
  }

  /** Every user rule (inactive ones too) and every built-in instance that is active or resolved within the hour. */
  list(codeOf?: (service: string, route: string) => AlertStatus['code']): AlertStatus[] {
    const out: AlertStatus[] = [];
    for (const inst of this.instances.values()) {
      const rule = inst.builtIn ? { ...this.config.builtIn[inst.builtIn], builtIn: inst.builtIn, signal: inst.builtIn === 'route-p99-doubled' ? 'p99Ms' as const : 'errorRate' as const } : this.config.rules.find((r) => r.name === inst.name);
      if (!rule) continue;
      const code = inst.route !== null && inst.state !== 'inactive' ? codeOf?.(inst.service, inst.route) : undefined;
      out.push({
        name: inst.name, rule, ...(inst.builtIn ? { builtIn: inst.builtIn } : {}), service: inst.service, route: inst.route,
        state: inst.state, value: inst.value, threshold: inst.threshold, ...(inst.baseline !== undefined ? { baseline: inst.baseline } : {}),
        ...(inst.firedValue !== undefined ? { firedValue: inst.firedValue } : {}),
        since: nsText(inst.sinceNs),
        ...(inst.firedAtNs !== undefined ? { firedAt: nsText(inst.firedAtNs) } : {}),
        ...(inst.resolvedAtNs !== undefined ? { resolvedAt: nsText(inst.resolvedAtNs) } : {}),
        source: inst.source, message: inst.message, ...(code ? { code } : {}),
      });
    }
    const order: Record<AlertState, number> = { firing: 0, pending: 1, inactive: 2 };
    return out.sort((a, b) => order[a.state] - order[b.state] || a.name.localeCompare(b.name) || (a.route ?? '').localeCompare(b.route ?? ''));
  }

  clear(): void {
    this.instances.clear();
  }

  private instance(name: string, builtIn: BuiltInRuleName | undefined, service: string, route: string | null, source: 'spans' | 'metrics', nowNs: number): Instance {
    const key = keyOf(name, service, route);
    let inst = this.instances.get(key);
    if (!inst) {
      inst = { key, name, ...(builtIn ? { builtIn } : {}), service, route, source, state: 'inactive', sinceNs: nowNs, value: null, threshold: null, message: '' };
      this.instances.set(key, inst);
    }
    return inst;
  }

  private step(inst: Instance, v: Verdict, forSeconds: number, nowNs: number, changes: AlertChange[], gone = false): void {
    inst.value = v.value;
    inst.threshold = v.threshold;
    if (v.baseline !== undefined) inst.baseline = v.baseline;
    const before = inst.state;
    switch (inst.state) {
      case 'inactive':
      case 'pending':
        if (inst.state === 'inactive') {
          if (!v.breach) break;
          inst.state = 'pending';
          inst.sinceNs = nowNs;
        }
        if (!v.breach) {
          inst.state = 'inactive';
          inst.sinceNs = nowNs;
          inst.frozen = undefined;
        } else if ((nowNs - inst.sinceNs) / NS >= forSeconds) {
          inst.state = 'firing';
          inst.sinceNs = nowNs;
          inst.firedAtNs = nowNs;
          inst.resolvedAtNs = undefined;
          inst.firedValue = v.value ?? undefined;
          inst.firedBaseline = v.baseline;
          inst.clearSinceNs = undefined;
        }
        break;
      case 'firing':
        if (v.hold) {
          inst.clearSinceNs = undefined;
          break;
        }
        inst.clearSinceNs ??= nowNs;
        // Clear for a while (as long as it took to fire, 10 s to a minute) before it resolves.
        if (gone || (nowNs - inst.clearSinceNs) / NS >= Math.max(10, Math.min(60, forSeconds))) {
          inst.state = 'inactive';
          inst.sinceNs = nowNs;
          inst.resolvedAtNs = nowNs;
          inst.clearSinceNs = undefined;
          inst.frozen = undefined;
        }
        break;
    }
    // Once resolved, the alert reads as what happened: the value that fired it.
    inst.message = inst.state === 'inactive' && inst.resolvedAtNs !== undefined && inst.firedValue !== undefined
      ? `resolved; ${describeValue(inst, { value: inst.firedValue, threshold: inst.threshold, baseline: inst.firedBaseline })}`
      : describeValue(inst, v);
    if (inst.state !== before && !(before === 'pending' && inst.state === 'inactive')) {
      changes.push({ name: inst.name, service: inst.service, route: inst.route, state: before === 'firing' ? 'resolved' : inst.state, message: inst.message });
    }
  }

  private judgeRule(rule: AlertRule, reader: SignalReader, nowNs: number, firing: boolean): Verdict {
    const windowNs = (rule.windowSeconds ?? 60) * NS;
    const start = nowNs - windowNs;
    let value: number | null;
    if (rule.signal === 'metric') value = reader.metric(rule.metric!, rule.service, rule.reduce ?? 'avg', start, nowNs);
    else {
      const f = reader.figures(rule.service, rule.route ?? null, start, nowNs);
      value = f ? (f.requests === 0 && rule.signal !== 'requestsPerSecond' ? null : f[rule.signal]) : null;
    }
    const t = rule.threshold;
    const relaxed = rule.op === '>' ? t - Math.abs(t) * HYSTERESIS : t + Math.abs(t) * HYSTERESIS;
    const breach = value !== null && (rule.op === '>' ? value > t : value < t);
    const hold = firing && value !== null && (rule.op === '>' ? value > relaxed : value < relaxed);
    return { value, threshold: t, breach, hold };
  }

  private judgeBuiltIn(name: BuiltInRuleName, s: Required<BuiltInRuleSettings>, ref: RouteRef, reader: SignalReader, nowNs: number, inst: Instance | undefined): Verdict {
    const windowStart = nowNs - s.windowSeconds * NS;
    const now = reader.figures(ref.service, ref.route, windowStart, nowNs);
    // The baseline freezes while the route is bad, for at most one baseline length: a
    // regression that lasts longer than that is the new normal.
    let base: SignalFigures | null;
    if (inst?.frozen && inst.state !== 'inactive' && nowNs - inst.frozen.atNs < s.baselineSeconds * NS) base = inst.frozen.figures;
    else {
      base = reader.figures(ref.service, ref.route, windowStart - s.baselineSeconds * NS, windowStart);
      if (inst && base) inst.frozen = undefined;
    }
    if (!now || !base) return { value: now ? pick(name, now) : null, threshold: null, baseline: base ? pick(name, base) : null, breach: false, hold: false };
    let verdict: Verdict;
    if (name === 'route-error-rate-jump') {
      // A jump: at least 10 points above the baseline's rate and twice it, from enough errors.
      const threshold = Math.min(1, Math.max(base.errorRate + 0.1, base.errorRate * 2));
      verdict = {
        value: now.errorRate, threshold, baseline: base.errorRate,
        breach: now.errors >= s.minCount && now.errorRate >= threshold,
        hold: now.errors > 0 && now.errorRate >= base.errorRate + 0.05,
      };
    } else {
      const enough = now.requests >= s.minCount && base.requests >= s.minCount;
      const baseP99 = base.p99Ms;
      const threshold = baseP99 === null ? null : baseP99 * 2;
      verdict = {
        value: now.p99Ms, threshold, baseline: baseP99,
        breach: enough && threshold !== null && now.p99Ms !== null && now.p99Ms >= threshold,
        hold: now.requests > 0 && baseP99 !== null && now.p99Ms !== null && now.p99Ms >= baseP99 * 1.5,
      };
    }
    return { ...verdict, baseFigures: base };
  }
}

function pick(name: BuiltInRuleName, f: SignalFigures): number | null {
  return name === 'route-error-rate-jump' ? f.errorRate : f.p99Ms;
}

function keyOf(name: string, service: string, route: string | null): string {
  return `${name}\u0000${service}\u0000${route ?? ''}`;
}

function nsText(ns: number): string {
  return BigInt(Math.round(ns)).toString();
}
