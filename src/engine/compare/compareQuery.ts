// Reads `GET /api/compare` parameters: `a=&b=` (two traces), `a=&against=previous`,
// `a=&against=median&n=`, or `service=&operation=&at=` (or `before=&after=`) with `n=`
// for groups.

import type { CompareResponse } from '../../protocol/compare.ts';
import { limit, oneOf, optionalString, QueryError } from '../query/params.ts';
import type { TraceSource } from '../disk/bothTiers.ts';
import { compareGroups } from './groupCompare.ts';
import { compareTraces } from './traceCompare.ts';

export const MAX_GROUP = 100;

export function compareQuery(source: TraceSource, q: URLSearchParams): CompareResponse {
  const a = optionalString(q, 'a');
  const operation = optionalString(q, 'operation');
  if (a !== undefined) {
    const b = optionalString(q, 'b');
    const against = oneOf(q, 'against', ['previous', 'median'] as const);
    if (b !== undefined && against) throw new QueryError('against', 'give either b= (a second trace) or against=, not both');
    if (b !== undefined) return compareTraces(source, a, { traceId: b });
    if (against === 'median') return compareTraces(source, a, { medianOf: countParam(q, 10) });
    if (against === 'previous') return compareTraces(source, a, { previous: true });
    throw new QueryError('b', 'expected a second trace id (b=), or against=previous or against=median');
  }
  if (operation !== undefined) {
    const service = optionalString(q, 'service');
    if (service === undefined) throw new QueryError('service', 'a group compare needs the service of the operation as well');
    const at = timeParam(q, 'at');
    const before = timeParam(q, 'before') ?? at;
    const after = timeParam(q, 'after') ?? at;
    if (before === undefined || after === undefined) throw new QueryError('at', 'expected the time to compare around (at=, Unix nanoseconds), or before= and after=');
    return compareGroups(source, { service, operation, before, after, n: countParam(q, 20) });
  }
  throw new QueryError('a', 'expected a= and b= (two trace ids), a=&against=previous|median, or service=&operation=&at= to compare groups');
}

function countParam(q: URLSearchParams, fallback: number): number {
  const n = new URLSearchParams(q.has('n') ? { limit: q.get('n')! } : {});
  try {
    return limit(n, fallback, MAX_GROUP);
  } catch (err) {
    throw new QueryError('n', (err as Error).message.replace(/^limit: /, ''));
  }
}

function timeParam(q: URLSearchParams, name: string): bigint | undefined {
  const v = optionalString(q, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,20}$/.test(v)) throw new QueryError(name, `expected Unix time in nanoseconds as digits, got "${v.slice(0, 40)}"`);
  return BigInt(v);
}
