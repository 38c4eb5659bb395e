// Web pages must not reach the engine through the user's browser. A page on another
// site can make the browser send "simple" requests to 127.0.0.1 (no preflight), and a
// DNS-rebinding page can even read the answers. So, while the engine listens on
// loopback only: a request must name a loopback host (or one the user allowed), and a
// request that changes something must not come from another origin — except OTLP
// exports from web apps the developer serves on localhost (browser SDKs), which get
// CORS answers.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GuardOptions {
  /** The address the engine listens on. */
  host: string;
  /** Extra host names to accept (e.g. a port-forwarding domain); "*" accepts any. */
  allowedHosts: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Why the request is refused, or undefined when it may go on. */
export function refusal(req: IncomingMessage, options: GuardOptions): string | undefined {
  if (!isLoopback(options.host) || options.allowedHosts.includes('*')) return undefined;
  const hostName = nameOf(req.headers.host);
  if (hostName !== undefined && !hostAllowed(hostName, options)) {
    return `requests naming host "${hostName}" are refused: Loupe listens on loopback only. Reach it as 127.0.0.1 or localhost, or allow the name with --allowed-hosts`;
  }
  const origin = req.headers.origin;
  if (origin && req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(origin, req.headers.host)) {
    if (isOtlpPath(req.url) && localOrigin(origin, options)) return undefined;
    return `requests from the web page ${origin.slice(0, 100)} may not change Loupe's data` +
      (isOtlpPath(req.url) ? '; browser SDKs may send OTLP from pages served on localhost (or hosts given with --allowed-hosts)' : '');
  }
  return undefined;
}

/**
 * CORS for OTLP/HTTP exports from web apps on localhost: answers the preflight itself
 * (returns true) or adds the headers that let the page read the export's answer.
 */
export function corsForOtlp(req: IncomingMessage, res: ServerResponse, options: GuardOptions): boolean {
  const origin = req.headers.origin;
  if (!origin || !isOtlpPath(req.url) || !(localOrigin(origin, options) || !isLoopback(options.host) || options.allowedHosts.includes('*'))) return false;
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

function isOtlpPath(url: string | undefined): boolean {
  return /^\/v1(development)?\/[a-z]+(\?|$)/.test(url ?? '');
}

/** A page served from this machine (or a host the user allowed). */
function localOrigin(origin: string, options: GuardOptions): boolean {
  try {
    // IPv6 host names keep their brackets here, as in the Host header.
    return hostAllowed(new URL(origin).hostname.toLowerCase(), options);
  } catch {
    return false;
  }
}

function hostAllowed(name: string, options: GuardOptions): boolean {
  return isLoopback(name) || name.endsWith('.localhost') || name === options.host || options.allowedHosts.includes(name);
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
