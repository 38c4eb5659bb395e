// Log search (`GET /api/logs`), newest first.

import type { LogEntry } from '../../protocol/api.ts';
import type { LogStore, StoredLog } from '../store/logStore.ts';
import { hexId, limit, optionalString, optionalTimeNs, QueryError } from './params.ts';
import { plainAttributes, plainValue, valueText } from '../../shared/plainValue.ts';

export interface LogFilter {
  service?: string;
  minSeverity?: number;
  q?: string;
  traceId?: string;
  spanId?: string;
  start?: number;
  end?: number;
  limit: number;
}

const SEVERITY_NAMES: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, warning: 13, error: 17, fatal: 21 };

export function parseLogFilter(q: URLSearchParams): LogFilter {
  return {
    service: optionalString(q, 'service'),
    minSeverity: severity(optionalString(q, 'minSeverity')),
    q: optionalString(q, 'q'),
    traceId: hexId(q, 'traceId', 32),
    spanId: hexId(q, 'spanId', 16),
    start: optionalTimeNs(q, 'start'),
    end: optionalTimeNs(q, 'end'),
    limit: limit(q, 200, 5000),
  };
}

function severity(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const byName = SEVERITY_NAMES[v.toLowerCase()];
  if (byName !== undefined) return byName;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 24) throw new QueryError('minSeverity', `expected 0–24 or one of ${Object.keys(SEVERITY_NAMES).join(', ')}, got "${v.slice(0, 40)}"`);
  return n;
}

export function searchLogs(store: LogStore, f: LogFilter): LogEntry[] {
  const serviceId = f.service === undefined ? -1 : store.services.find(f.service);
  if (serviceId === undefined) return [];
  const text = f.q?.toLowerCase();
  const found: StoredLog[] = [];
  const visit = (log: StoredLog): boolean => {
    const r = log.record;
    if (serviceId >= 0 && log.group.serviceId !== serviceId) return true;
    if (f.minSeverity !== undefined && (r.severityNumber ?? 0) < f.minSeverity) return true;
    if (f.spanId !== undefined && r.spanId !== f.spanId) return true;
    if (f.traceId !== undefined && r.traceId !== f.traceId) return true;
    if (f.start !== undefined && log.timeNs < f.start) return true;
    if (f.end !== undefined && log.timeNs > f.end) return true;
    if (text !== undefined && !logContains(log, text)) return true;
    found.push(log);
    return found.length < f.limit;
  };
  if (f.traceId !== undefined) {
    const ofTrace = store.ofTrace(f.traceId);
    for (let i = ofTrace.length - 1; i >= 0 && visit(ofTrace[i]); i--);
  } else {
    store.forEachNewestFirst(visit);
  }
  found.sort((a, b) => b.timeNs - a.timeNs);
  return found.map((log) => toEntry(store, log));
}

function logContains(log: StoredLog, lowerText: string): boolean {
  const r = log.record;
  if (valueText(r.body).toLowerCase().includes(lowerText)) return true;
  if ((r.severityText ?? '').toLowerCase().includes(lowerText)) return true;
  return !!r.attributes?.some((kv) => valueText(kv.value).toLowerCase().includes(lowerText));
}

function toEntry(store: LogStore, log: StoredLog): LogEntry {
  const r = log.record;
  const entry: LogEntry = {
    timeUnixNano: r.timeUnixNano ?? r.observedTimeUnixNano ?? '0',
    severityNumber: r.severityNumber ?? 0,
    severityText: r.severityText ?? '',
    body: plainValue(r.body),
    attributes: plainAttributes(r.attributes),
    resource: plainAttributes(log.group.resource.attributes),
    service: store.services.values[log.group.serviceId],
  };
  if (r.observedTimeUnixNano) entry.observedTimeUnixNano = r.observedTimeUnixNano;
  if (r.traceId) entry.traceId = r.traceId;
  if (r.spanId) entry.spanId = r.spanId;
  if (r.eventName) entry.eventName = r.eventName;
  return entry;
}
