// The page around the UI bundle in a webview: a strict Content Security Policy, the
// script by nonce, and no data at all (the UI asks for it once it runs).

import { randomBytes } from 'node:crypto';

/** The UI bundle's files in the extension, as scripts/build.mjs writes them. */
export const UI_ASSETS = {
  folder: ['dist', 'webview'],
  script: 'main.js',
  style: 'main.css',
} as const;

export interface PanelPage {
  title: string;
  /** `webview.cspSource`: the origin the webview's own resources come from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(page: PanelPage): string {
  const nonce = page.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(page.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(page.title)}</title>
<link rel="stylesheet" href="${escapeAttribute(page.styleUri)}">
<script defer nonce="${nonce}" src="${escapeAttribute(page.scriptUri)}"></script>
</head>
<body>
<noscript>Loupe's UI needs JavaScript.</noscript>
</body>
</html>
`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
