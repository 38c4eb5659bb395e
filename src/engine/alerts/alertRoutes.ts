// The alert and signal-mapping endpoints: `GET /api/alerts`, `PUT /api/alerts/rules` and
// `PUT /api/signals/metric-names` (the extension sends `loupe.alerts` and `loupe.signalMetrics`).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readJsonBody } from '../api/jsonBody.ts';
import type { Engine } from '../engine.ts';
import { MetricNameError, parseMetricNames } from '../signals/fromMetrics/requestMetricNames.ts';
import { AlertRuleError } from './alertRules.ts';

type Json = (res: ServerResponse, status: number, body: unknown) => void;

const MAX_BYTES = 4 * 1048576;

/** Answers the request if it is one of these endpoints; false otherwise. */
export async function routeAlerts(engine: Engine, req: IncomingMessage, path: string, res: ServerResponse, json: Json): Promise<boolean> {
  if (path === '/api/alerts') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed(res, json, 'GET');
    json(res, 200, engine.alerts.list());
    return true;
  }
  if (path === '/api/alerts/rules') {
    if (req.method === 'GET') {
      const e = engine.alerts.evaluator;
      json(res, 200, { ...e.rules, evaluation: { lastMs: e.lastEvaluationMs, lastCpuMs: e.lastEvaluationCpuMs, at: BigInt(Math.round(e.lastEvaluatedAtNs)).toString() } });
      return true;
    }
    if (req.method !== 'PUT') return notAllowed(res, json, 'GET, PUT');
    try {
      engine.alerts.setRules(await readJsonBody(req, MAX_BYTES, 'a list of rules such as [{ "name": "slow", "service": "shop", "signal": "p99Ms", "op": ">", "threshold": 500, "forSeconds": 60 }]'));
    } catch (err) {
      if (err instanceof BodyError) return answered(json(res, err.status, { error: err.message }));
      if (err instanceof AlertRuleError) return answered(json(res, 400, { error: err.message }));
      throw err;
    }
    json(res, 200, engine.alerts.list());
    return true;
  }
  if (path === '/api/signals/metric-names') {
    if (req.method === 'GET') {
      json(res, 200, engine.metricSignals.names.extra);
      return true;
    }
    if (req.method !== 'PUT') return notAllowed(res, json, 'GET, PUT');
    try {
      engine.metricSignals.setNames(parseMetricNames(await readJsonBody(req, MAX_BYTES, 'a list such as [{ "name": "myapp_latency_ms", "role": "latency", "unit": "ms" }]')));
    } catch (err) {
      if (err instanceof BodyError) return answered(json(res, err.status, { error: err.message }));
      if (err instanceof MetricNameError) return answered(json(res, 400, { error: err.message }));
      throw err;
    }
    json(res, 200, engine.metricSignals.names.extra);
    return true;
  }
  return false;
}

function notAllowed(res: ServerResponse, json: Json, allow: string): true {
  res.setHeader('allow', allow);
  json(res, 405, { error: `method not allowed; use ${allow}` });
  return true;
}

function answered(_: void): true {
  return true;
}
