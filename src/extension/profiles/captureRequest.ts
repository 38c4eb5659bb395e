// Fetching a CPU profile from a Go-style `/debug/pprof/profile?seconds=N` endpoint. The
// server answers only after N seconds, so the wait is bounded by N plus a margin, can be
// cancelled, and every way it can fail becomes a sentence saying what to check.

export class CaptureError extends Error {
  override name = 'CaptureError';
}

/** The URL to fetch and how long the capture lasts; throws CaptureError for input that cannot work. */
export function captureTarget(text: string): { url: URL; seconds: number } {
  let url: URL;
  try {
    url = new URL(text.trim().includes('://') ? text.trim() : `http://${text.trim()}`);
  } catch {
    throw new CaptureError(`"${text.slice(0, 80)}" is not a URL. Use e.g. http://localhost:6060/debug/pprof/profile?seconds=10`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CaptureError(`Loupe captures over http or https, not ${url.protocol.replace(':', '')}.`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/debug/pprof/profile';
  const raw = url.searchParams.get('seconds');
  // Go's handler profiles for 30 s when no `seconds` is given.
  const seconds = raw === null ? 30 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new CaptureError(`seconds=${raw} is not a duration Loupe can wait for: use 1 to 3600.`);
  return { url, seconds };
}

/** Margin over the capture's duration for the server to start and send the profile. */
const MARGIN_MS = 15_000;

export async function fetchProfile(url: URL, seconds: number, signal?: AbortSignal): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(seconds * 1000 + MARGIN_MS);
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'application/octet-stream' } });
  } catch (err) {
    throw failure(err, url, seconds, signal);
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).trim().slice(0, 300);
    throw new CaptureError(`${url.host} answered ${res.status} ${res.statusText}${text ? `: ${text}` : ''}. ${res.status === 404 ? 'Is net/http/pprof imported and served on this port?' : ''}`.trim());
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw failure(err, url, seconds, signal);
  }
  if (!bytes.length) throw new CaptureError(`${url.host} sent an empty profile.`);
  return bytes;
}

function failure(err: unknown, url: URL, seconds: number, signal?: AbortSignal): Error {
  if (signal?.aborted) return new CaptureError('Capture cancelled.');
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e.name === 'TimeoutError') return new CaptureError(`${url.host} sent no profile within ${seconds} s + ${MARGIN_MS / 1000} s; is the server busy or is this not a pprof endpoint?`);
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return new CaptureError(`Nothing listens at ${url.host}. Is the app running, with net/http/pprof on that port?`);
  if (code === 'ENOTFOUND') return new CaptureError(`The host ${url.hostname} is unknown.`);
  return new CaptureError(`Could not fetch ${url.href}: ${code ?? e.message ?? String(err)}`);
}
