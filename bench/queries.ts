// The trace queries the store benchmarks time: name, path (empty: fetch one trace by id), target ms.

export const QUERIES: [string, string, number][] = [
  ['newest 50 traces', '/api/traces', 50],
  ['service', '/api/traces?service=bench-service-2', 50],
  ['service + operation + errors', '/api/traces?service=bench-service-1&operation=GET%20/users/:id&status=error', 50],
  ['attribute (value in 1 trace of 4,000)', `/api/traces?attr=url.path=/orders/${3 * 1000 + 11}`, 50],
  ['attribute (matches none)', '/api/traces?attr=url.path=/nothing/here', 50],
  ['numeric attribute', '/api/traces?attr=http.response.status_code=500', 50],
  ['free text (span name)', '/api/traces?q=checkout', 50],
  ['free text (attribute value in 1 trace of 4,000)', '/api/traces?q=user:5011', 50],
  ['free text (matches nothing; has a rare character)', '/api/traces?q=no-such-text', 50],
  ['free text (matches nothing; common letters only)', '/api/traces?q=nosuchtext', 50],
  ['duration ≥ 1 s (matches none)', '/api/traces?minDurationMs=1000', 50],
  ['trace fetch (OTLP/JSON, 8 spans)', '', 5],
];
