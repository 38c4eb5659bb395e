// Web pages must not reach the engine through the user's browser. A page on another
// site can make the browser send "simple" requests to 127.0.0.1 (no preflight), and a
// DNS-rebinding page can even read the answers. So: while the engine listens on
// loopback, a request must name a loopback host (or one the user allowed); and,
// wherever it listens, a request a browser marks as coming from another origin is
// refused — except OTLP exports from web apps the developer serves on localhost or on
// an origin given with --cors-origin (browser SDKs), which get CORS answers. The query
// API, the event stream, the UI and the data-changing routes answer their own origin
// only: what is stored may hold secrets, and no other page needs it.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GuardOptions {
  /** The address the engine listens on. */
  host: string;
  /** Extra host names to accept (e.g. a port-forwarding domain); "*" accepts any. */
  allowedHosts: readonly string[];
  /** Exact origins (scheme://host[:port]) of browser apps allowed to send OTLP (`--cors-origin`). */
  corsOrigins?: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Why the request is refused, or undefined when it may go on. */
export function refusal(req: IncomingMessage, options: GuardOptions): string | undefined {
  const hostName = nameOf(req.headers.host);
  if (isLoopback(options.host) && !options.allowedHosts.includes('*') && hostName !== undefined && !hostAllowed(hostName, options)) {
    return `requests naming host "${hostName}" are refused: Loupe listens on loopback only. Reach it as 127.0.0.1 or localhost, or allow the name with --allowed-hosts`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host)) {
    if (isOtlpPath(req.url) && otlpOriginAllowed(origin, options)) return undefined;
    return `requests from the web page ${origin.slice(0, 100)} are refused: only Loupe's own page may use its API` +
      (isOtlpPath(req.url) ? '; browser SDKs may send OTLP from pages served on localhost, or from origins given with --cors-origin (setting loupe.cors.allowedOrigins)' : '');
  }
  // Browsers send no Origin with simple GETs (<img>, <script>) but say where they come
  // from here. Following a link to the UI from another site stays possible.
  const site = req.headers['sec-fetch-site'];
  const followsLink = req.headers['sec-fetch-mode'] === 'navigate' && (req.method === 'GET' || req.method === 'HEAD');
  if ((site === 'cross-site' || site === 'same-site') && !followsLink) {
    return `requests a browser marks as ${site} are refused: only Loupe's own page may use its API`;
  }
  return undefined;
}

/**
 * CORS for OTLP/HTTP exports from web apps on allowed origins: answers the preflight
 * itself (returns true) or adds the headers that let the page read the export's answer.
 * Call it after `refusal`, which has already turned away every other origin.
 */
export function corsForOtlp(req: IncomingMessage, res: ServerResponse, options: GuardOptions): boolean {
  const origin = req.headers.origin;
  if (!origin || !isOtlpPath(req.url) || sameOrigin(origin, req.headers.host) || !otlpOriginAllowed(origin, options)) return false;
  const method = req.headers['access-control-request-method'];
  if (req.method === 'OPTIONS' && method !== undefined && method !== 'POST') {
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: `refused: OTLP/HTTP exports use POST; the page asked to send ${String(method).slice(0, 20)}` }));
    return true;
  }
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type, content-encoding',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}

export function isOtlpPath(url: string | undefined): boolean {
  return /^\/v1(development)?\/[a-z]+(\?|$)/.test(url ?? '');
}

/** "http://LocalHost:3000/" → "http://localhost:3000"; undefined for anything that is not an http(s) origin. */
export function normalizeOrigin(text: string): string | undefined {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.pathname !== '/' || url.search || url.hash || url.username) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

function otlpOriginAllowed(origin: string, options: GuardOptions): boolean {
  const normalized = normalizeOrigin(origin);
  if (!normalized) return false;
  if (options.corsOrigins?.includes(normalized)) return true;
  // IPv6 host names keep their brackets here, as in the Host header.
  return hostAllowed(new URL(normalized).hostname.toLowerCase(), options);
}

function hostAllowed(name: string, options: GuardOptions): boolean {
  return isLoopback(name) || name.endsWith('.localhost') || name === options.host || (options.allowedHosts.includes(name) && name !== '*');
}

/** "127.0.0.1:4318" → "127.0.0.1", "[::1]:4318" → "[::1]". */
function nameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0];
  return name.toLowerCase();
}

function sameOrigin(origin: string, hostHeader: string | undefined): boolean {
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}
