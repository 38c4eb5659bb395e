// Local alerts: the rules a user writes (`loupe.alerts`, `PUT /api/alerts/rules`,
// `--alert-rules FILE`) and what `GET /api/alerts` answers. Type-only, shared by the
// engine, the extension and the UI.

export type AlertSignal = 'p50Ms' | 'p90Ms' | 'p99Ms' | 'errorRate' | 'requestsPerSecond' | 'metric';
/** How a metric's values over the window become one number. */
/** p50/p90/p99: a histogram metric's percentile line, averaged over the window. */
export type AlertReduce = 'last' | 'avg' | 'min' | 'max' | 'sum' | 'rate' | 'p50' | 'p90' | 'p99';

export interface AlertRule {
  name: string;
  service: string;
  /** Without it the rule watches the service as a whole. */
  route?: string;
  signal: AlertSignal;
  /** With signal "metric": the metric's name, as `GET /api/metrics` lists it. */
  metric?: string;
  /** With signal "metric": how its values over the window are reduced (default "avg"; counters "rate"). */
  reduce?: AlertReduce;
  op: '>' | '<';
  threshold: number;
  /** How long the condition must hold before the alert fires. */
  forSeconds: number;
  /** The window each evaluation looks at (default 60 s). */
  windowSeconds?: number;
}

/** The two rules Loupe brings, on by default; `PUT /api/alerts/rules` can switch them off. */
export type BuiltInRuleName = 'route-error-rate-jump' | 'route-p99-doubled';

export interface BuiltInRuleSettings {
  enabled: boolean;
  /** The window watched (default 60 s). */
  windowSeconds?: number;
  /** The window before it that is the route's own baseline (default 1800 s). */
  baselineSeconds?: number;
  forSeconds?: number;
  /** Requests (p99) or errors (error rate) the window needs before the rule may fire. */
  minCount?: number;
}

/** The body of `PUT /api/alerts/rules`: a list of rules, or rules with the built-ins' switches. */
export type AlertRulesBody = AlertRule[] | { rules?: AlertRule[]; builtIn?: Partial<Record<BuiltInRuleName, boolean | BuiltInRuleSettings>> };

export type AlertState = 'inactive' | 'pending' | 'firing';

/** One rule on one route (built-in rules and rules without a route watch every route): a row of `GET /api/alerts`. */
export interface AlertStatus {
  name: string;
  rule: AlertRule | (BuiltInRuleSettings & { builtIn: BuiltInRuleName; signal: 'errorRate' | 'p99Ms' });
  builtIn?: BuiltInRuleName;
  service: string;
  /** Null: the service as a whole. */
  route: string | null;
  state: AlertState;
  /** The value at the last evaluation (null when the window had no data). */
  value: number | null;
  /** The value compared against: the rule's threshold, or for built-ins one derived from the baseline. */
  threshold: number | null;
  /** Built-ins: the route's baseline value. */
  baseline?: number | null;
  /** The value that fired it (while firing, and after it resolved). */
  firedValue?: number;
  /** Unix ns: when the current state began. */
  since: string;
  /** Unix ns: when it last fired and (once it did) resolved; the charts mark this window. */
  firedAt?: string;
  resolvedAt?: string;
  source: 'spans' | 'metrics';
  /** What a person reads: "p99 of GET /users/:id is 412 ms, 2.3× its baseline 180 ms". */
  message: string;
  /** The route handler's source, from its spans' `code.*` attributes, when they gave one. */
  code?: { file: string; line?: number; function: string };
}

/** What `/api/events` carries when alerts change state. */
export interface AlertChange {
  name: string;
  service: string;
  route: string | null;
  state: AlertState | 'resolved';
  message: string;
}
