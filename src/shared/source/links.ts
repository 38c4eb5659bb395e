// Links that open a file in VS Code from outside it (the browser page), through the
// `vscode://file/` URL handler VS Code registers with the operating system.

import type { SourceLocation } from '../../protocol/webview.ts';
import { fileUrlToPath } from './paths.ts';

/**
 * `vscode://file/home/me/app.ts:12:5`, `vscode://file/c:/src/App.cs:42`. The path
 * should be absolute (mapped onto the workspace first): VS Code has nothing to resolve
 * a relative one against.
 */
export function vscodeFileUrl(loc: SourceLocation): string {
  let path = fileUrlToPath(loc.path).replace(/\\/g, '/');
  let drive = '';
  const driveMatch = /^([a-zA-Z]):(?=\/|$)/.exec(path);
  if (driveMatch) {
    // VS Code writes drive letters in lower case in its own URIs.
    drive = `/${driveMatch[1]!.toLowerCase()}:`;
    path = path.slice(2);
  }
  if (!path.startsWith('/')) path = `/${path}`;
  const encoded = drive + path.split('/').map(encodeSegment).join('/');
  let position = '';
  if (loc.line !== undefined) {
    position = `:${loc.line}`;
    if (loc.column !== undefined) position += `:${loc.column}`;
  }
  return `vscode://file${encoded}${position}`;
}

/**
 * Everything a URL would read as syntax is escaped, `:` too, so that a file named
 * `a:1` is not taken for a line number; `@` stays readable (node_modules/@scope).
 */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%40/g, '@');
}
