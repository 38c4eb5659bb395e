// Scrapes Prometheus endpoints of local apps on an interval into the metric store. A
// target that is down, slow or answers something else is reported in its status
// (`GET /api/metrics/targets`), retried on the next round, and never stops the others.

import type { Metric, Resource } from '../../protocol/otlp.ts';
import type { ScrapeTargetStatus } from '../../protocol/api.ts';
import { familiesToMetrics } from './promToOtlp.ts';
import { parsePromText } from './promText.ts';

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
const TIMEOUT_MS = 5_000;
const MAX_BYTES = 20 * 1024 * 1024;

export type ScrapedSink = (resource: Resource, metrics: Metric[]) => void;

export class ScrapeTargetError extends Error {
  override name = 'ScrapeTargetError';
}

interface Target {
  status: ScrapeTargetStatus;
  firstScrapeNs?: string;
  /** The scrape under way: a slow target is not asked twice at once. */
  inFlight?: Promise<void>;
}

/**
 * A target is a URL, or `name=URL` to store its metrics under service `name` (otherwise
 * the service is the URL's host:port).
 */
export function parseTarget(entry: string): { url: string; service: string } {
  const text = entry.trim();
  const named = /^([^=\s/:]+)=(.+)$/.exec(text);
  const urlText = named ? named[2] : text;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new ScrapeTargetError(`scrape target "${text.slice(0, 100)}" is not a URL: use http://host:port/metrics, or name=http://host:port/metrics`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ScrapeTargetError(`scrape target "${text.slice(0, 100)}": only http and https URLs can be scraped`);
  return { url: url.href, service: named ? named[1] : url.host };
}

export class Scraper {
  private targets = new Map<string, Target>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sink: ScrapedSink, private readonly intervalMs = DEFAULT_SCRAPE_INTERVAL_MS) {}

  /** Replaces the targets (throws ScrapeTargetError naming the first bad one) and scrapes them now. */
  setTargets(entries: readonly string[]): void {
    const parsed = entries.map(parseTarget);
    const next = new Map<string, Target>();
    for (const { url, service } of parsed) {
      const known = this.targets.get(url);
      next.set(url, known && known.status.service === service ? known : {
        status: { url, service, state: 'pending', samples: 0, scrapes: 0, failures: 0 },
      });
    }
    this.targets = next;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (next.size) {
      this.timer = setInterval(() => void this.scrapeAll(), this.intervalMs);
      this.timer.unref();
      void this.scrapeAll();
    }
  }

  status(): ScrapeTargetStatus[] {
    return [...this.targets.values()].map((t) => ({ ...t.status }));
  }

  async scrapeAll(): Promise<void> {
    await Promise.all([...this.targets.values()].map((t) => this.scrape(t)));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private scrape(t: Target): Promise<void> {
    t.inFlight ??= this.scrapeOnce(t).finally(() => { t.inFlight = undefined; });
    return t.inFlight;
  }

  private async scrapeOnce(t: Target): Promise<void> {
    const began = Date.now();
    const s = t.status;
    try {
      const text = await fetchText(s.url);
      const parsed = parsePromText(text);
      if (parsed.families.length === 0 && text.trim() !== '') {
        throw new Error(`the answer is not Prometheus text exposition${parsed.firstProblem ? ` (${parsed.firstProblem})` : ''}`);
      }
      t.firstScrapeNs ??= String(BigInt(began) * 1_000_000n);
      const metrics = familiesToMetrics(parsed.families, began, t.firstScrapeNs);
      if (this.targets.get(s.url) !== t) return; // removed while it was being scraped
      this.sink({ attributes: [{ key: 'service.name', value: { stringValue: s.service } }, { key: 'loupe.scrape.url', value: { stringValue: s.url } }] }, metrics);
      s.state = 'up';
      s.samples = parsed.families.reduce((n, f) => n + f.samples.length, 0);
      s.lastError = parsed.badLines ? `${parsed.badLines} line(s) skipped; ${parsed.firstProblem}` : undefined;
    } catch (err) {
      s.state = 'down';
      s.failures++;
      s.lastError = describe(err);
    } finally {
      s.scrapes++;
      s.lastScrape = new Date(began).toISOString();
      s.lastDurationMs = Date.now() - began;
    }
  }
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, {
    headers: { accept: 'text/plain;version=0.0.4;q=1, */*;q=0.1' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'follow',
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) throw new Error(`the answer is ${length} bytes, more than the ${MAX_BYTES / 1048576} MB a scrape may be`);
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`the answer is more than the ${MAX_BYTES / 1048576} MB a scrape may be`);
  return text;
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the app running and listening on that port?';
  if (code === 'ENOTFOUND') return 'host not found';
  if (e.cause?.message) return `${e.message}: ${e.cause.message}`;
  return e.message;
}
