// The engine's HTTP API as the extension uses it: typed GETs for views, the import
// POSTs and the clear DELETE. Errors carry the engine's own message.

import type { ApiError } from '../../protocol/api.ts';

export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class EngineApi {
  constructor(readonly baseUrl: string) {}

  async get<T>(path: string): Promise<T> {
    return (await this.send('GET', path)).body as T;
  }

  /** The raw answer, for relaying webview requests whatever their status. */
  async relay(path: string): Promise<{ status: number; body: unknown }> {
    return this.send('GET', path, undefined, false);
  }

  /** A binary answer (`accept` names its form, e.g. a compact profile or trace) when 2xx, else the engine's JSON error as `body`. */
  async relayBytes(path: string, accept: string): Promise<{ status: number; bytes?: Uint8Array; body?: unknown }> {
    const res = await this.fetch('GET', path, { accept }, undefined, 60_000);
    if (!res.ok) return { status: res.status, body: await res.json().catch(() => ({ error: `HTTP ${res.status}` })) };
    return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  /** A file's bytes POSTed as they are (e.g. a profile to `/api/profiles`); the raw answer. */
  async relayUpload(path: string, bytes: Uint8Array, timeoutMs = 120_000): Promise<{ status: number; body: unknown }> {
    const res = await this.fetch('POST', path, { accept: 'application/json', 'content-type': 'application/octet-stream' }, bytes, timeoutMs);
    return { status: res.status, body: await res.json().catch(() => ({ error: `HTTP ${res.status}` })) };
  }

  /** Like relayUpload, but a refusal throws with the engine's message. */
  async postBytes<T>(path: string, bytes: Uint8Array): Promise<T> {
    const { status, body } = await this.relayUpload(path, bytes);
    if (status < 200 || status >= 300) throw new EngineRequestError(status, (body as ApiError | null)?.error ?? `HTTP ${status}`);
    return body as T;
  }

  private async fetch(method: string, path: string, headers: Record<string, string>, body?: Uint8Array, timeoutMs = 30_000): Promise<Response> {
    try {
      return await fetch(this.baseUrl + path, { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new EngineRequestError(0, `The Loupe engine at ${this.baseUrl} did not answer ${method} ${path.split('?')[0]} (${why}).`);
    }
  }

  async postJson(path: string, json: string): Promise<unknown> {
    return (await this.send('POST', path, json)).body;
  }

  /** A JSON POST whose answer is returned whatever its status (the caller reads the engine's error). */
  async relayPost(path: string, json: string): Promise<{ status: number; body: unknown }> {
    return this.send('POST', path, json, false);
  }

  async putJson(path: string, json: string): Promise<unknown> {
    return (await this.send('PUT', path, json)).body;
  }

  async delete(path: string): Promise<unknown> {
    return (await this.send('DELETE', path)).body;
  }

  private async send(method: string, path: string, body?: string, throwOnError = true): Promise<{ status: number; body: unknown }> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        body,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new EngineRequestError(0, `The Loupe engine at ${this.baseUrl} did not answer ${method} ${path} (${why}).`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: relay as text
    }
    if (!res.ok && throwOnError) {
      const message = (parsed as ApiError | null)?.error ?? `HTTP ${res.status}`;
      throw new EngineRequestError(res.status, `The Loupe engine refused ${method} ${path}: ${message}`);
    }
    return { status: res.status, body: parsed };
  }
}
