// What forwarding is told: where the team's OTLP endpoint is and how to talk to it.
// Given by flags (--forward …) or, from VS Code, by `PUT /api/forward` (loupe.forward.*).

export type ForwardProtocol = 'http' | 'grpc';

export interface ForwardOptions {
  /** Base URL of the upstream: http(s)://host:port[/path]; OTLP/HTTP appends /v1/<signal>. */
  endpoint: string;
  protocol: ForwardProtocol;
  /** Sent with every request (API keys); never shown back by the status. */
  headers: Record<string, string>;
  gzip: boolean;
  /** Requests waiting or in flight may hold at most this many bytes; the oldest go first. */
  queueBytes: number;
}

export class ForwardOptionsError extends Error {
  override name = 'ForwardOptionsError';
}

export const DEFAULT_FORWARD_QUEUE_BYTES = 32 * 1024 * 1024;

/** Checks and normalizes options from the command line or an API client; throws ForwardOptionsError. */
export function checkForwardOptions(input: Partial<Record<keyof ForwardOptions, unknown>>): ForwardOptions {
  const endpoint = typeof input.endpoint === 'string' ? input.endpoint.trim() : '';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ForwardOptionsError(`endpoint "${String(input.endpoint ?? '').slice(0, 200)}" is not a URL: use one such as http://collector:4318 (OTLP/HTTP) or http://collector:4317 (OTLP/gRPC).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ForwardOptionsError(`endpoint "${endpoint}" must start with http:// or https://, as in http://collector:4318 (OTLP/HTTP) or http://collector:4317 (OTLP/gRPC).`);
  }
  const protocol = input.protocol ?? 'http';
  if (protocol !== 'http' && protocol !== 'grpc') {
    throw new ForwardOptionsError(`protocol "${String(protocol)}" is not one of http, grpc.`);
  }
  const headers: Record<string, string> = {};
  if (input.headers !== undefined) {
    if (!input.headers || typeof input.headers !== 'object' || Array.isArray(input.headers)) {
      throw new ForwardOptionsError('headers: expected an object of names to values, such as {"x-api-key": "…"}.');
    }
    for (const [name, value] of Object.entries(input.headers)) headers[checkHeaderName(name)] = checkHeaderValue(name, value);
  }
  const gzip = input.gzip ?? false;
  if (typeof gzip !== 'boolean') throw new ForwardOptionsError('gzip: expected true or false.');
  const queueBytes = input.queueBytes ?? DEFAULT_FORWARD_QUEUE_BYTES;
  if (typeof queueBytes !== 'number' || !(queueBytes >= 64 * 1024)) {
    throw new ForwardOptionsError('queueBytes: expected a number of bytes, 65536 or more.');
  }
  return { endpoint: url.href.replace(/\/$/, ''), protocol, headers, gzip, queueBytes: Math.floor(queueBytes) };
}

/** "name=value" (or "name: value") as given to --forward-header. */
export function parseHeaderPair(pair: string): [string, string] {
  const at = pair.search(/[=:]/);
  if (at <= 0) throw new ForwardOptionsError(`header "${pair.slice(0, 100)}": expected name=value, such as x-api-key=secret.`);
  const name = pair.slice(0, at).trim();
  return [checkHeaderName(name), checkHeaderValue(name, pair.slice(at + 1).trim())];
}

function checkHeaderName(name: string): string {
  // RFC 9110 token characters; gRPC metadata keys must also be lowercase.
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ForwardOptionsError(`header name "${name.slice(0, 100)}" has characters a header name cannot have.`);
  return name.toLowerCase();
}

function checkHeaderValue(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new ForwardOptionsError(`header "${name}": the value must be a string.`);
  if (/[\r\n\0]/.test(value)) throw new ForwardOptionsError(`header "${name}": the value cannot contain line breaks.`);
  return value;
}
