// The profiles the engine holds (received over OTLP, captured, imported), newest first,
// and a way to add one: drop a file on the page or pick it. Errors from the engine
// (an unknown format, a truncated file) are shown as it words them.

import type { ProfileSummary } from '../../../src/protocol/profile.ts';
import type { ViewContext } from '../shell/view.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { diskMark } from '../ui/diskMark.ts';
import { formatDuration, formatTimestamp } from '../ui/format.ts';
import { oneLine } from '../ui/inertText.ts';
import { sampleTypeLabel } from './valueFormat.ts';
import { isTelemetryFileName } from '../files/telemetryFileName.ts';

const ACCEPT = '.pprof,.pb.gz,.pb,.prof,.gz,.cpuprofile,.heapprofile,.folded,.collapsed,.txt';
/** The engine's default request limit is far above this; larger files are refused here with a clear word. */
const MAX_UPLOAD_BYTES = 1024 * 1048576;

export interface ProfileListEvents {
  open(id: string): void;
}

export class ProfileList {
  readonly element: HTMLElement;
  private readonly rows = h('tbody');
  private readonly message = h('div', { class: 'profile-message', attrs: { role: 'status' } });
  private readonly picker = h('input', { attrs: { type: 'file', accept: ACCEPT, hidden: '' } });
  private readonly heading = h('span', { class: 'profile-list-title' }, 'Profiles');
  private traceId = '';
  private disposed = false;

  constructor(private readonly ctx: ViewContext, private readonly events: ProfileListEvents) {
    this.picker.addEventListener('change', () => {
      const file = this.picker.files?.[0];
      if (file) void this.upload(file);
      this.picker.value = '';
    });
    const table = h('table', { class: 'profile-table' },
      h('thead', null, h('tr', null, ...['Name', 'Format', 'Source', 'Service', 'Samples', 'Sample types', 'Started', 'Duration'].map((t) => h('th', null, t)))),
      this.rows);
    this.element = h('div', { class: 'profile-list' },
      h('div', { class: 'profile-list-bar' }, this.heading,
        h('button', { class: 'open-file', on: { click: () => this.picker.click() } }, 'Open a profile file…'),
        h('span', { class: 'muted' }, 'or drop one here: pprof (.pb.gz, .pprof, .prof), V8 .cpuprofile / .heapprofile, folded stacks'),
        this.picker),
      this.message, h('div', { class: 'profile-table-box' }, table));
    this.element.addEventListener('dragover', (e) => { e.preventDefault(); this.element.classList.add('dropping'); });
    this.element.addEventListener('dragleave', () => this.element.classList.remove('dropping'));
    this.element.addEventListener('drop', (e) => {
      e.preventDefault();
      this.element.classList.remove('dropping');
      const file = e.dataTransfer?.files?.[0];
      // Telemetry files (OTLP/JSON, Jaeger JSON) open as files, by the page's own drop handling.
      if (file && !isTelemetryFileName(file.name)) void this.upload(file);
    });
  }

  /** `traceId`: only the profiles tied to that trace. */
  async refresh(traceId = ''): Promise<ProfileSummary[]> {
    this.traceId = traceId;
    this.heading.textContent = traceId ? `Profiles of trace ${traceId}` : 'Profiles';
    let list: ProfileSummary[];
    try {
      list = await this.ctx.transport.get<ProfileSummary[]>(`/api/profiles${traceId ? `?traceId=${traceId}` : ''}`);
    } catch (err) {
      this.say(`Could not list the profiles: ${(err as Error).message}`, true);
      return [];
    }
    if (this.disposed) return list;
    replaceChildren(this.rows, ...list.map((p) => this.row(p)));
    if (!list.length) {
      replaceChildren(this.rows, h('tr', null, h('td', { class: 'list-empty', attrs: { colspan: '8' } },
        traceId ? 'No profile has samples of this trace.' : 'No profiles yet. Open or drop a profile file, send OTLP profiles, or capture one from VS Code ("Loupe: Capture CPU Profile from URL…").')));
    }
    return list;
  }

  dispose(): void {
    this.disposed = true;
  }

  private row(p: ProfileSummary): HTMLElement {
    const tr = h('tr', { class: 'profile-row', attrs: { tabindex: '0' }, dataset: { id: p.id }, on: {
      click: () => this.events.open(p.id),
      keydown: (e) => { if (e.key === 'Enter') this.events.open(p.id); },
    } },
    h('td', { class: 'profile-name' }, p.fromDisk ? diskMark() : null, oneLine(p.name || p.id)),
    h('td', null, p.format),
    h('td', null, p.source),
    h('td', null, oneLine(p.service)),
    h('td', { class: 'num' }, p.sampleCount.toLocaleString('en-US')),
    h('td', null, oneLine(p.sampleTypes.map(sampleTypeLabel).join(', '))),
    h('td', null, p.startTimeUnixNano && p.startTimeUnixNano !== '0' ? formatTimestamp(p.startTimeUnixNano) : '—'),
    h('td', { class: 'num' }, Number(p.durationNanos) > 0 ? formatDuration(Number(p.durationNanos)) : '—'));
    return tr;
  }

  private async upload(file: File): Promise<void> {
    if (file.size > MAX_UPLOAD_BYTES) {
      this.say(`${file.name} is ${(file.size / 1048576).toFixed(0)} MB; Loupe opens profiles up to ${MAX_UPLOAD_BYTES / 1048576} MB.`, true);
      return;
    }
    this.say(`Reading ${file.name}…`, false);
    try {
      performance.mark('loupe:profile-upload');
      const { id } = await this.ctx.transport.upload<{ id: string }>('/api/profiles', file, file.name);
      performance.mark('loupe:profile-imported');
      this.say('', false);
      this.events.open(id);
    } catch (err) {
      this.say(`Could not open ${file.name}: ${(err as Error).message}`, true);
      void this.refresh(this.traceId);
    }
  }

  private say(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.hidden = !text;
    this.message.classList.toggle('profile-error', error);
    this.message.setAttribute('role', error ? 'alert' : 'status');
  }
}
