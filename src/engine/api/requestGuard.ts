// Web pages must not reach the engine through the user's browser. A page on another
// site can make the browser send "simple" requests to 127.0.0.1 (no preflight), and a
// DNS-rebinding page can even read the answers. So, while the engine listens on
// loopback only: a request must name a loopback host (or one the user allowed), and a
// request that changes something must not come from another origin.

import type { IncomingMessage } from 'node:http';

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
    return `requests from the web page ${origin.slice(0, 100)} may not change Loupe's data`;
  }
  return undefined;
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
