// An exception's stack trace, frame by frame: frames that name a source location are
// links to it (the parsing rules live in src/shared/source, shared with the extension).

import { isAbsolutePath } from '../../../src/shared/source/paths.ts';
import { parseStackTrace } from '../../../src/shared/source/stackTrace.ts';
import type { Transport } from '../transport/transport.ts';
import { h } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { sourceLink } from '../ui/sourceLink.ts';
import { showFullValue } from '../ui/valueView.ts';

const MAX_FRAMES = 200;
const MAX_PARSED_CHARS = 200_000;

export function stackTraceView(transport: Transport, text: string): HTMLElement {
  // A megabyte-long "stack trace" is parsed only as far as a stack trace can sensibly go.
  const frames = parseStackTrace(text.slice(0, MAX_PARSED_CHARS));
  const list = h('ol', { class: 'stack-frames' }, ...frames.slice(0, MAX_FRAMES).map((f) => {
    const raw = oneLine(f.raw.length > 400 ? `${f.raw.slice(0, 400)}…` : f.raw).trim();
    // Runtime internals (node:internal/…) name no file anyone can open.
    const linkable = f.location && (f.userCode !== false || isAbsolutePath(f.location.path));
    const kind = f.userCode === undefined ? 'message' : f.userCode ? 'user' : 'library';
    return h('li', { class: `frame ${kind}${linkable ? ' has-source' : ''}` },
      h('code', { class: 'frame-text', title: raw }, raw),
      linkable ? sourceLink(transport, f.location!) : null);
  }));
  const hiddenFrames = frames.length - Math.min(frames.length, MAX_FRAMES);
  return h('div', { class: 'stack-trace' }, list,
    hiddenFrames > 0 || text.length > MAX_PARSED_CHARS
      ? h('button', { class: 'link-button', on: { click: () => showFullValue(transport, 'Stack trace', text) } }, `show the whole stack trace${hiddenFrames > 0 ? ` (${hiddenFrames} more frames)` : ''}`)
      : null);
}
