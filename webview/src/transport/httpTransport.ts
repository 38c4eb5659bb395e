// The browser page: fetch and EventSource to the engine that served it; state in the
// URL query, so a reload or a shared link shows the same thing.

import type { ChangeEvent } from '../../../src/protocol/api.ts';
import { VIEW_NAMES, type SourceLocation, type ViewName } from '../../../src/protocol/webview.ts';
import { vscodeFileUrl } from '../../../src/shared/source/links.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { responseBytes } from './responseBytes.ts';
import { EngineWatch, failureOf, Listeners, type Connection, type Navigation, type Started, type Transport } from './transport.ts';

export function startHttpTransport(): Started {
  const transport = new HttpTransport();
  return { transport, ...readLocation() };
}

function readLocation(): Navigation {
  const params = new URLSearchParams(location.search);
  const view = params.get('view');
  const state: ViewState = {};
  for (const key of new Set(params.keys())) {
    if (key === 'view') continue;
    const all = params.getAll(key);
    state[key] = key === 'attr' ? all : all[0];
  }
  return { view: VIEW_NAMES.find((v) => v === view) ?? 'traces', state };
}

class HttpTransport implements Transport {
  private readonly changes = new Listeners<ChangeEvent>();
  private readonly connection = new Listeners<Connection>();
  private readonly navigation = new Listeners<Navigation>();
  private events: EventSource | undefined;
  private readonly engine = new EngineWatch();

  constructor() {
    window.addEventListener('popstate', () => this.navigation.emit(readLocation()));
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw failureOf(res.status, body, path);
    return body as T;
  }

  async getBytes(path: string, accept: string): Promise<Uint8Array> {
    const res = await fetch(path, { headers: { accept } });
    if (!res.ok) throw failureOf(res.status, await res.json().catch(() => undefined), path);
    return responseBytes(res);
  }

  async upload<T>(path: string, file: Blob | Uint8Array, fileName: string): Promise<T> {
    // A Blob goes as it is: the browser sends it from the file, and the page never copies
    // it (a 50 MB profile read into an array and sent from there cost the page seconds).
    const res = await fetch(`${path}${path.includes('?') ? '&' : '?'}name=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      body: file as Blob | Uint8Array<ArrayBuffer>,
      headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw failureOf(res.status, body, path);
    return body as T;
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.connect();
    return this.changes.add(listener);
  }

  onConnection(listener: (state: Connection) => void): () => void {
    this.connect();
    return this.connection.add(listener);
  }

  onNavigate(listener: (to: Navigation) => void): () => void {
    return this.navigation.add(listener);
  }

  saveState(view: ViewName, state: ViewState, push: boolean): void {
    const params = new URLSearchParams();
    params.set('view', view);
    for (const [key, value] of Object.entries(state)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
    }
    const url = `${location.pathname}?${params}`;
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  openView(view: ViewName, state: ViewState): void {
    this.saveState(view, state, true);
    this.navigation.emit({ view, state });
  }

  async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (e.g. an unfocused page): the old way still works.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
  }

  saveFile(suggestedName: string, content: string): void {
    const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = suggestedName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  sourceUrl(location: SourceLocation): string | undefined {
    const url = vscodeFileUrl(location);
    // Only ever a link into VS Code, whatever the telemetry's path says.
    return url.startsWith('vscode://file/') ? url : undefined;
  }

  openSource(location: SourceLocation): void {
    const url = this.sourceUrl(location);
    if (url) window.location.href = url;
  }

  private connect(): void {
    if (this.events) return;
    this.connection.emit('connecting');
    const events = new EventSource('/api/events');
    this.events = events;
    events.addEventListener('open', () => this.connection.emit('live'));
    // EventSource reconnects by itself (the engine asks for 2 s); until then, say so.
    events.addEventListener('error', () => this.connection.emit(events.readyState === EventSource.CLOSED ? 'offline' : 'connecting'));
    events.addEventListener('change', (e) => {
      try {
        this.changes.emit(this.engine.note(JSON.parse((e as MessageEvent<string>).data) as ChangeEvent));
      } catch {
        // A malformed event is skipped; the next one carries fresh counts.
      }
    });
  }
}
