// A source location as something to click: in the browser a `vscode://file/...` link
// plus a button that copies `path:line`; in a webview a link the host opens. Which one
// is the transport's business.

import type { SourceLocation } from '../../../src/protocol/webview.ts';
import type { Transport } from '../transport/transport.ts';
import { copyButton } from './copyButton.ts';
import { h } from './dom.ts';
import { oneLine } from './inertText.ts';

export function locationText(loc: SourceLocation): string {
  return `${loc.path}${loc.line ? `:${loc.line}` : ''}${loc.line && loc.column ? `:${loc.column}` : ''}`;
}

export function sourceLink(transport: Transport, loc: SourceLocation): HTMLElement {
  const full = oneLine(locationText(loc));
  const base = loc.path.split(/[\\/]/).pop() || loc.path;
  const label = oneLine(`${base}${loc.line ? `:${loc.line}` : ''}`);
  const url = transport.sourceUrl(loc);
  const title = `Open ${full} in VS Code`;
  const link = url
    ? h('a', { class: 'source-link', title, attrs: { href: url } }, label)
    : h('button', { class: 'link-button source-link', title, on: { click: (e) => { e.stopPropagation(); transport.openSource(loc); } } }, label);
  return h('span', { class: 'source' }, link, url ? copyButton(transport, locationText(loc), 'Copy path:line') : null);
}
