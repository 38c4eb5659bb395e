// Alert rules as users write them, checked field by field: a bad rule is refused with a
// message that names the rule and the field, never half applied.

import type { AlertReduce, AlertRule, AlertSignal, BuiltInRuleName, BuiltInRuleSettings } from '../../protocol/alerts.ts';

export class AlertRuleError extends Error {
  override name = 'AlertRuleError';
}

export const SIGNALS: readonly AlertSignal[] = ['p50Ms', 'p90Ms', 'p99Ms', 'errorRate', 'requestsPerSecond', 'metric'];
const REDUCES: readonly AlertReduce[] = ['last', 'avg', 'min', 'max', 'sum', 'rate', 'p50', 'p90', 'p99'];
export const BUILT_IN_NAMES: readonly BuiltInRuleName[] = ['route-error-rate-jump', 'route-p99-doubled'];

/** The built-ins' defaults: a route's last minute against its own previous half hour. */
export const BUILT_IN_DEFAULTS: Record<BuiltInRuleName, Required<BuiltInRuleSettings>> = {
  // At least 5 errors, so one failed request of a quiet route is not an alarm.
  'route-error-rate-jump': { enabled: true, windowSeconds: 60, baselineSeconds: 1800, forSeconds: 30, minCount: 5 },
  // At least 20 requests in the window and in the baseline: a p99 of fewer is one request.
  'route-p99-doubled': { enabled: true, windowSeconds: 60, baselineSeconds: 1800, forSeconds: 30, minCount: 20 },
};

export interface AlertConfig {
  rules: AlertRule[];
  builtIn: Record<BuiltInRuleName, Required<BuiltInRuleSettings>>;
}

const MAX_RULES = 10_000;

/** Reads `PUT /api/alerts/rules` (or an `--alert-rules` file): a list of rules, or `{ rules, builtIn }`. */
export function parseAlertConfig(body: unknown): AlertConfig {
  let rulesInput: unknown;
  let builtInInput: unknown;
  if (Array.isArray(body)) rulesInput = body;
  else if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    const unknown = Object.keys(b).find((k) => k !== 'rules' && k !== 'builtIn');
    if (unknown) throw new AlertRuleError(`${unknown}: not a field of the rules body; expected "rules" (a list) and "builtIn"`);
    rulesInput = b.rules ?? [];
    builtInInput = b.builtIn;
  } else {
    throw new AlertRuleError('body: expected a JSON list of rules, such as [{ "name": "slow checkout", "service": "shop", "signal": "p99Ms", "op": ">", "threshold": 500, "forSeconds": 60 }]');
  }
  if (!Array.isArray(rulesInput)) throw new AlertRuleError('rules: expected a list of rules');
  if (rulesInput.length > MAX_RULES) throw new AlertRuleError(`rules: ${rulesInput.length} rules; at most ${MAX_RULES}`);
  const rules = rulesInput.map((r, i) => parseRule(r, i));
  const names = new Set<string>();
  for (const r of rules) {
    if (names.has(r.name)) throw new AlertRuleError(`rules: two rules are named "${r.name}"; names identify alerts, so each must be unique`);
    if ((BUILT_IN_NAMES as readonly string[]).includes(r.name)) throw new AlertRuleError(`rules: "${r.name}" is a built-in rule's name; switch it with builtIn instead`);
    names.add(r.name);
  }
  return { rules, builtIn: parseBuiltIn(builtInInput) };
}

function parseRule(input: unknown, i: number): AlertRule {
  const at = `rules[${i}]`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new AlertRuleError(`${at}: expected an object with name, service, signal, op, threshold and forSeconds`);
  const r = input as Record<string, unknown>;
  const name = typeof r.name === 'string' && r.name.trim() ? r.name.trim() : undefined;
  const where = name ? `${at} ("${name.slice(0, 60)}")` : at;
  if (!name) throw new AlertRuleError(`${at}.name: required, a non-empty string that names the alert`);
  if (typeof r.service !== 'string' || !r.service.trim()) throw new AlertRuleError(`${where}.service: required, the service.name the rule watches`);
  if (r.route !== undefined && r.route !== null && (typeof r.route !== 'string' || !r.route)) throw new AlertRuleError(`${where}.route: expected a route such as "/users/:id", or leave it out for the whole service`);
  if (!(SIGNALS as readonly unknown[]).includes(r.signal)) throw new AlertRuleError(`${where}.signal: expected one of ${SIGNALS.join(', ')}, got ${JSON.stringify(r.signal)?.slice(0, 40)}`);
  const signal = r.signal as AlertSignal;
  if (signal === 'metric') {
    if (typeof r.metric !== 'string' || !r.metric) throw new AlertRuleError(`${where}.metric: required with signal "metric": the metric's name as /api/metrics lists it`);
    if (r.route !== undefined && r.route !== null) throw new AlertRuleError(`${where}.route: a metric rule watches the metric's series of the service; leave route out`);
  } else if (r.metric !== undefined) {
    throw new AlertRuleError(`${where}.metric: only with signal "metric"`);
  }
  if (r.reduce !== undefined && !(REDUCES as readonly unknown[]).includes(r.reduce)) throw new AlertRuleError(`${where}.reduce: expected one of ${REDUCES.join(', ')}, got ${JSON.stringify(r.reduce)?.slice(0, 40)}`);
  if (r.op !== '>' && r.op !== '<') throw new AlertRuleError(`${where}.op: expected ">" or "<", got ${JSON.stringify(r.op)?.slice(0, 40)}`);
  if (typeof r.threshold !== 'number' || !Number.isFinite(r.threshold)) throw new AlertRuleError(`${where}.threshold: expected a number${signal === 'errorRate' ? ' (error rate as a fraction, 0.05 for 5 %)' : ''}`);
  if (signal === 'errorRate' && (r.threshold < 0 || r.threshold > 1)) throw new AlertRuleError(`${where}.threshold: an error rate is a fraction from 0 to 1 (0.05 for 5 %), got ${r.threshold}`);
  const forSeconds = r.forSeconds ?? 0;
  if (typeof forSeconds !== 'number' || !(forSeconds >= 0) || forSeconds > 86400) throw new AlertRuleError(`${where}.forSeconds: expected seconds from 0 to 86400`);
  const windowSeconds = r.windowSeconds ?? 60;
  if (typeof windowSeconds !== 'number' || !(windowSeconds >= 10) || windowSeconds > 86400) throw new AlertRuleError(`${where}.windowSeconds: expected seconds from 10 to 86400`);
  const known = new Set(['name', 'service', 'route', 'signal', 'metric', 'reduce', 'op', 'threshold', 'forSeconds', 'windowSeconds']);
  const extra = Object.keys(r).find((k) => !known.has(k));
  if (extra) throw new AlertRuleError(`${where}.${extra}: not a rule field; the fields are ${[...known].join(', ')}`);
  return {
    name, service: r.service.trim(), ...(typeof r.route === 'string' ? { route: r.route } : {}), signal,
    ...(signal === 'metric' ? { metric: r.metric as string, reduce: (r.reduce as AlertReduce | undefined) ?? 'avg' } : {}),
    op: r.op, threshold: r.threshold, forSeconds, windowSeconds,
  };
}

function parseBuiltIn(input: unknown): AlertConfig['builtIn'] {
  const out = structuredClone(BUILT_IN_DEFAULTS);
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input)) throw new AlertRuleError('builtIn: expected an object such as { "route-p99-doubled": false }');
  for (const [name, value] of Object.entries(input)) {
    if (!(BUILT_IN_NAMES as readonly string[]).includes(name)) throw new AlertRuleError(`builtIn.${name}: no such built-in rule; they are ${BUILT_IN_NAMES.join(', ')}`);
    const target = out[name as BuiltInRuleName];
    if (typeof value === 'boolean') {
      target.enabled = value;
      continue;
    }
    if (typeof value !== 'object' || value === null) throw new AlertRuleError(`builtIn.${name}: expected true, false or settings such as { "enabled": true, "forSeconds": 60 }`);
    for (const [key, v] of Object.entries(value)) {
      if (key === 'enabled') {
        if (typeof v !== 'boolean') throw new AlertRuleError(`builtIn.${name}.enabled: expected true or false`);
        target.enabled = v;
      } else if (key === 'windowSeconds' || key === 'baselineSeconds' || key === 'forSeconds' || key === 'minCount') {
        if (typeof v !== 'number' || !(v >= 0) || v > 14 * 86400) throw new AlertRuleError(`builtIn.${name}.${key}: expected a number from 0 to ${14 * 86400}`);
        if ((key === 'windowSeconds' || key === 'baselineSeconds') && v < 10) throw new AlertRuleError(`builtIn.${name}.${key}: at least 10 seconds (the finest bucket)`);
        target[key] = v;
      } else {
        throw new AlertRuleError(`builtIn.${name}.${key}: not a setting; they are enabled, windowSeconds, baselineSeconds, forSeconds, minCount`);
      }
    }
  }
  return out;
}
