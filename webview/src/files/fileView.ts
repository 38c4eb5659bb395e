// The page around an open telemetry file: a bar that says which file this is, that it is
// not in the live store, what could not be read, and offers "Import into Loupe". The
// views below it are the usual ones, reading the file's own store.

import type { FileImportResult, FileSummary } from '../../../src/protocol/files.ts';
import type { Started, Transport } from '../transport/transport.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatCount } from '../ui/format.ts';
import { fileViewState } from '../../../src/shared/files/fileViewState.ts';
import { FileTransport, withoutFile } from './fileTransport.ts';

const FORMAT_NAMES: Record<FileSummary['format'], string> = {
  'otlp-json': 'OTLP/JSON',
  'otlp-jsonl': 'OTLP/JSON Lines',
  'jaeger-json': 'Jaeger JSON',
};

export interface FileViewOptions {
  /** The browser page offers a way back to the live views; a VS Code editor has its tab. */
  backToLive?: () => void;
}

/** Puts the file bar on the page and returns what the app starts with: the file's transport. */
export function startFileView(started: Started, fileId: string, options: FileViewOptions = {}): Started {
  const transport = new FileTransport(started.transport, fileId);
  // Nothing arrives live in a file: the live/paused switch has nothing to do.
  document.body.classList.add('file-open');
  const bar = new FileBar(started.transport, fileId, options);
  document.body.prepend(bar.element);
  return {
    transport, view: started.view, state: withoutFile(started.state),
    initialState: (view) => (bar.summary ? fileViewState(bar.summary, view) : {}),
  };
}

/** A file that could not be opened: the engine's explanation, and nothing else to show. */
export function showFileError(message: string, options: FileViewOptions = {}): void {
  document.body.append(h('div', { class: 'file-error', attrs: { role: 'alert' } },
    h('h2', null, 'Loupe cannot open this file'),
    h('p', null, message),
    options.backToLive ? h('button', { class: 'file-action', on: { click: options.backToLive } }, 'Back to live data') : null));
}

class FileBar {
  /** The engine's description of the file, once it has answered. */
  summary: FileSummary | undefined;
  readonly element = h('div', { class: 'file-bar', attrs: { role: 'status' } });
  private readonly importButton = h('button', { class: 'file-action primary', on: { click: () => void this.import() } }, 'Import into Loupe');
  private readonly message = h('span', { class: 'file-message' });

  constructor(private readonly base: Transport, private readonly fileId: string, private readonly options: FileViewOptions) {
    this.element.append(h('span', { class: 'file-name' }, 'Opening the file…'));
    void this.load();
  }

  private async load(): Promise<void> {
    let summary: FileSummary;
    try {
      summary = await this.base.get<FileSummary>(`/api/files/${encodeURIComponent(this.fileId)}`);
      this.summary = summary;
    } catch (err) {
      replaceChildren(this.element, h('span', { class: 'file-name error' }, `This file is not open any more: ${(err as Error).message}`), this.backButton());
      return;
    }
    const c = summary.counts;
    const held = [
      c.traces ? `${formatCount(c.traces)} traces (${formatCount(c.spans)} spans)` : '',
      c.logs ? `${formatCount(c.logs)} logs` : '',
      c.metricPoints ? `${formatCount(c.metricPoints)} metric points` : '',
    ].filter(Boolean).join(' · ') || 'nothing Loupe can show';
    const problems = summary.problems.length
      ? h('details', { class: 'file-problems' },
        h('summary', null, `${summary.problems.length} part${summary.problems.length > 1 ? 's' : ''} could not be read`),
        h('ul', null, ...summary.problems.map((p) => h('li', null, p))))
      : null;
    replaceChildren(this.element,
      h('span', { class: 'file-name', title: `${summary.name}: ${FORMAT_NAMES[summary.format]}${summary.gzip ? ', gzipped' : ''}` }, summary.name),
      h('span', { class: 'file-held' }, `${FORMAT_NAMES[summary.format]}${summary.gzip ? ' (gzip)' : ''} · ${held}`),
      summary.dropped ? h('span', { class: 'file-held warning' }, `${formatCount(summary.dropped)} oldest items did not fit in memory`) : null,
      h('span', { class: 'file-note' }, 'Shown from the file only; not in the live store.'),
      problems,
      h('span', { class: 'app-spacer' }),
      this.message,
      this.importButton,
      this.backButton());
  }

  private backButton(): HTMLElement | null {
    return this.options.backToLive ? h('button', { class: 'file-action', on: { click: this.options.backToLive } }, 'Back to live data') : null;
  }

  private async import(): Promise<void> {
    this.importButton.setAttribute('disabled', '');
    this.message.textContent = 'Importing…';
    try {
      // An empty upload is the POST the host relays; the engine copies what it already holds.
      const result = await this.base.upload<FileImportResult>(`/api/files/${encodeURIComponent(this.fileId)}/import`, new Uint8Array(0), 'import');
      const i = result.imported;
      this.message.textContent = `Imported ${formatCount(i.spans)} spans, ${formatCount(i.logs)} logs, ${formatCount(i.metricPoints)} metric points into the live store.${result.problems.length ? ` ${result.problems.length} parts failed: ${result.problems[0]}` : ''}`;
    } catch (err) {
      this.message.textContent = `Import failed: ${(err as Error).message}`;
      this.importButton.removeAttribute('disabled');
    }
  }
}
