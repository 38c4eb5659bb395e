// The browser page: a telemetry file dropped anywhere opens in its own store, in the
// same views (the page reloads onto it; Back returns to the live data). A profile file
// dropped on the profiles view stays the profiles view's business.

import type { FileSummary } from '../../../src/protocol/files.ts';
import type { Transport } from '../transport/transport.ts';
import { h } from '../ui/dom.ts';
import { fileViewState, firstFileView } from '../../../src/shared/files/fileViewState.ts';
import { FILE_STATE_KEY } from './fileTransport.ts';
import { isTelemetryFileName } from './telemetryFileName.ts';

const NOTICE_MS = 12_000;

export function acceptFileDrops(transport: Transport): void {
  document.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    // The profiles view took it (a profile file dropped on its list).
    if (e.defaultPrevented && !isTelemetryFileName(file.name)) return;
    e.preventDefault();
    void openDropped(transport, file);
  });
}

async function openDropped(transport: Transport, file: File): Promise<void> {
  const notice = say(`Opening ${file.name}…`);
  try {
    const summary = await transport.upload<FileSummary>('/api/files', new Uint8Array(await file.arrayBuffer()), file.name);
    notice.remove();
    const view = firstFileView(summary);
    const params = new URLSearchParams({ view, ...fileViewState(summary, view), [FILE_STATE_KEY]: summary.id });
    location.assign(`${location.pathname}?${params}`);
  } catch (err) {
    notice.remove();
    say((err as Error).message, true);
  }
}

function say(text: string, error = false): HTMLElement {
  const notice = h('div', { class: `drop-notice${error ? ' error' : ''}`, attrs: { role: error ? 'alert' : 'status' } }, text,
    h('button', { class: 'drop-notice-close', attrs: { 'aria-label': 'Dismiss' }, on: { click: () => notice.remove() } }, '×'));
  document.body.append(notice);
  if (error) setTimeout(() => notice.remove(), NOTICE_MS);
  return notice;
}
