// The UI's static files (built by `npm run build` into dist/webview), served at `GET /`
// and `GET /assets/*` with a strict Content-Security-Policy: the page runs only its own
// script file, so a span name that smuggles in markup can never become code.

import { existsSync, readFile } from 'node:fs';
import { extname, join } from 'node:path';
import type { ServerResponse } from 'node:http';

/** Everything the page needs comes from the engine itself; nothing inline, no eval. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** One or more plain path segments: no dot files, no `..`, no encoded separators. */
const ASSET_NAME = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export const ASSET_PREFIX = '/assets/';

/**
 * The built UI next to the bundled engine (dist/engine.js → dist/webview), or, when the
 * engine runs from source (tests), in the project's dist/webview.
 */
export function findUiDir(): string | undefined {
  const candidates = [join(__dirname, 'webview'), join(__dirname, '..', '..', '..', 'dist', 'webview')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

export function serveUiAsset(pathname: string, res: ServerResponse, uiDir = findUiDir()): void {
  const name = pathname === '/' ? 'index.html' : pathname.slice(ASSET_PREFIX.length);
  if (!uiDir) {
    return text(res, 503, 'The Loupe UI is not built. Run `npm run build`, then reload.');
  }
  const type = CONTENT_TYPES[extname(name)];
  if (!ASSET_NAME.test(name) || !type) return text(res, 404, `no such UI asset: ${pathname.slice(0, 200)}`);
  readFile(join(uiDir, name), (err, body) => {
    if (err) return text(res, 404, `no such UI asset: ${pathname.slice(0, 200)}`);
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'content-security-policy': UI_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Rebuilt in place by `npm run watch`: always revalidate.
      'cache-control': 'no-cache',
    });
    res.end(body);
  });
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': UI_CSP });
  res.end(message + '\n');
}
