// Query-string parsing for the API: every bad value becomes a QueryError that names the
// parameter and says what was expected (answered as 400).

export class QueryError extends Error {
  override name = 'QueryError';
  constructor(readonly param: string, problem: string) {
    super(`${param}: ${problem}`);
  }
}

export function optionalString(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null || v === '' ? undefined : v;
}

export function optionalNumber(q: URLSearchParams, name: string, min = 0): number | undefined {
  const v = optionalString(q, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new QueryError(name, `expected a number ≥ ${min}, got "${v.slice(0, 40)}"`);
  return n;
}

/** A Unix time in nanoseconds (decimal string), read as a double for comparisons. */
export function optionalTimeNs(q: URLSearchParams, name: string): number | undefined {
  const v = optionalString(q, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,20}$/.test(v)) throw new QueryError(name, `expected Unix time in nanoseconds as digits, got "${v.slice(0, 40)}"`);
  return Number(v);
}

export function limit(q: URLSearchParams, fallback: number, max: number): number {
  const v = optionalString(q, 'limit');
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new QueryError('limit', `expected a whole number from 1 to ${max}, got "${v.slice(0, 40)}"`);
  return n;
}

export function oneOf<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const v = optionalString(q, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new QueryError(name, `expected one of ${allowed.join(', ')}, got "${v.slice(0, 40)}"`);
  return v as T;
}

export function hexId(q: URLSearchParams, name: string, digits: number): string | undefined {
  const v = optionalString(q, name);
  if (v === undefined) return undefined;
  if (v.length !== digits || !/^[0-9a-fA-F]+$/.test(v)) throw new QueryError(name, `expected ${digits} hex digits, got "${v.slice(0, 40)}"`);
  return v.toLowerCase();
}

/** Repeated `attr=key=value` parameters. */
export function attributeFilters(q: URLSearchParams): { key: string; value: string }[] {
  return q.getAll('attr').map((a) => {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new QueryError('attr', `expected key=value, got "${a.slice(0, 40)}"`);
    return { key: a.slice(0, eq), value: a.slice(eq + 1) };
  });
}
