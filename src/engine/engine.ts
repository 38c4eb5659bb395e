// The engine's core, independent of transports: the stores, the one ingest path
// per signal, the memory budget across them, live events and self-metrics.

import { getHeapStatistics } from 'node:v8';
import { randomUUID } from 'node:crypto';
import type { ChangeEvent, StatusResponse } from '../protocol/api.ts';
import { SpanAggregates } from './aggregates/spanAggregates.ts';
import { EventHub } from './events.ts';
import type { Encoding, ExportResult, Ingest, Signal, Transport } from './ingest/ingest.ts';
import { LogIngest } from './ingest/logIngest.ts';
import { MetricIngest } from './ingest/metricIngest.ts';
import { ProfileIngest } from './ingest/profileIngest.ts';
import { TraceIngest } from './ingest/traceIngest.ts';
import { decodeTracesJson } from './otlp/json/traces.ts';
import { LOG_CHUNK_BYTES } from './store/logChunk.ts';
import { LogStore } from './store/logStore.ts';
import { MetricStore } from './store/metricStore.ts';
import { ProfileStore } from './store/profileStore.ts';
import type { CompactProfile, ProfileSource } from '../protocol/profile.ts';
import { encodeCompactProfile } from '../shared/profile/codec.ts';
import { QUADGRAMS } from './store/textIndex.ts';
import { TextIndexer } from './store/textIndexer.ts';
import { TraceStore } from './store/traceStore.ts';
import { SignalStore } from './signals/signalStore.ts';
import { Scraper } from './scrape/scraper.ts';
import type { InstrumentationScope, Metric, Resource } from '../protocol/otlp.ts';
import { SCRAPE_SCOPE } from './scrape/promToOtlp.ts';
import { EngineMetrics } from './telemetry/engineMetrics.ts';
import type { DiskTier } from './disk/diskTier.ts';
import { Forwarder } from './forward/forwarder.ts';
import { MetricSignals } from './signals/fromMetrics/metricSignals.ts';
import { LocalAlerts } from './alerts/localAlerts.ts';
import { SignalReader } from './alerts/signalReader.ts';
import type { RefusalReason } from './receivers/admission.ts';

export interface EngineOptions {
  memoryBudgetBytes: number;
  scrapeIntervalMs?: number;
}

const SCRAPE: InstrumentationScope = { name: SCRAPE_SCOPE };

export class Engine implements Ingest {
  readonly traces = new TraceStore();
  readonly logs: LogStore;
  readonly metrics = new MetricStore();
  readonly profiles = new ProfileStore();
  readonly selfMetrics = new EngineMetrics(() => ({ traces: this.traces.memoryBytes, logs: this.logs.memoryBytes, metrics: this.metrics.memoryBytes, profiles: this.profiles.memoryBytes }));
  readonly events = new EventHub(() => this.snapshot());
  readonly startedAt = new Date();
  readonly instanceId = randomUUID();
  readonly textIndexer = new TextIndexer(this.traces);
  readonly logTextIndexer: TextIndexer;
  /** Golden signals per service and route, kept at ingest (they outlive span eviction). */
  readonly signals = new SignalStore();
  /** Golden signals derived from request metrics (OTLP and scraped), for services without spans. */
  readonly metricSignals = new MetricSignals();
  /** Local alerts on the golden signals and metrics, evaluated every few seconds. */
  readonly alerts = new LocalAlerts(
    () => new SignalReader(this.signals, this.metricSignals, this.metrics),
    () => this.aggregates.functionStats(),
    (changes) => this.events.changed({ alerts: changes }),
  );
  private readonly traceIngest = new TraceIngest(this.traces, (serviceId, name, route, routeIsName, startNs, durationNs, isError) => {
    const service = this.traces.services.values[serviceId];
    this.selfMetrics.requestSpan(service, route, durationNs, isError);
    this.signals.add(service, route, routeIsName, startNs, durationNs, isError, name);
  });
  private readonly logIngest: LogIngest;
  /** Operations, exceptions and functions over every retained span, kept current by the store. */
  readonly aggregates = new SpanAggregates(this.traces);
  private readonly metricIngest = new MetricIngest(this.metrics);
  private readonly profileIngest = new ProfileIngest((profile, name) => this.profiles.add(profile, name, 'otlp'));
  rejected = 0;
  /** Exports turned away unread by backpressure (the client sends them again). */
  refusedRequests = 0;
  /** The listeners' addresses, filled in by the server once it is listening. */
  endpoints = { grpc: '', http: '' };
  /** Stops the listeners (and, run from the command line, the process). Set by whoever started them. */
  stop: () => void = () => {};

  /** The on-disk tier (`--data-dir`): told of every stored request, read by queries for what memory evicted. */
  disk: DiskTier | undefined;
  /** Sends what is received on to the team's OTLP endpoint, when one is configured. */
  readonly forwarder = new Forwarder(this.selfMetrics.registry);

  /** Prometheus endpoints scraped into the metric store (`--scrape`, `loupe.scrapeTargets`). */
  readonly scraper: Scraper;

  constructor(readonly options: EngineOptions) {
    // Log chunks are evicted whole: small budgets get small chunks.
    this.logs = new LogStore(Math.max(64 * 1024, Math.min(LOG_CHUNK_BYTES, 2 ** Math.floor(Math.log2(options.memoryBudgetBytes / 16)))));
    this.logTextIndexer = new TextIndexer(this.logs, QUADGRAMS);
    this.logIngest = new LogIngest(this.logs);
    this.scraper = new Scraper((resource, metrics) => this.storeScraped(resource, metrics), options.scrapeIntervalMs);
    this.traces.observer = this.aggregates;
    this.metrics.observer = (series, point, service) => this.metricSignals.add(series, point, service);
    this.alerts.start();
  }

  private storeScraped(resource: Resource, metrics: Metric[]): void {
    const resourceKey = JSON.stringify(resource);
    let stored = 0;
    for (const m of metrics) stored += this.metrics.add(m, resource, resourceKey, SCRAPE);
    if (stored) this.disk?.received('metrics', Buffer.from(JSON.stringify({ resourceMetrics: [{ resource, scopeMetrics: [{ scope: SCRAPE, metrics }] }] })), 'json', stored);
    this.fitBudget();
    if (stored) this.events.changed({ metricPoints: stored });
  }

  export(signal: Signal, body: Buffer, encoding: Encoding, transport: Transport): ExportResult {
    let result: ExportResult;
    let accepted: number;
    const delta: Partial<ChangeEvent> = {};
    switch (signal) {
      case 'traces':
        result = encoding === 'protobuf' ? this.traceIngest.protobuf(body) : this.traceIngest.json(decodeTracesJson(body.toString('utf8')));
        accepted = delta.spans = this.traceIngest.last.spans;
        delta.newTraces = this.traceIngest.last.newTraces;
        break;
      case 'logs':
        result = this.logIngest.export(body, encoding);
        accepted = delta.logs = this.logIngest.lastAccepted;
        break;
      case 'metrics':
        result = this.metricIngest.export(body, encoding);
        accepted = delta.metricPoints = this.metricIngest.lastAccepted;
        break;
      case 'profiles':
        result = this.profileIngest.export(body, encoding);
        accepted = delta.profiles = this.profileIngest.lastAccepted;
        break;
    }
    // Data loaded back from disk after a restart was forwarded when it first arrived.
    if (!this.disk?.replaying) this.forwarder.offer(signal, body, encoding, accepted + result.rejected);
    if (signal === 'traces' && accepted) this.textIndexer.busy();
    if (signal === 'logs' && accepted) this.logTextIndexer.busy();
    this.rejected += result.rejected;
    this.selfMetrics.exported(signal, transport, accepted, result.rejected);
    // Before the budget is enforced: the index reads the items just stored.
    if (accepted) this.disk?.received(signal, body, encoding, accepted);
    this.fitBudget();
    if (accepted) this.events.changed(delta);
    return result;
  }

  /**
   * Counts a request of an earlier session, kept on disk and not loaded back, into the
   * golden signals only: nothing is stored, written or forwarded. Throws as `export` does.
   */
  countFromDisk(signal: Signal, body: Buffer, encoding: Encoding): void {
    if (signal === 'traces') this.traceIngest.countRequestSpans(body, encoding, (...request) => this.signals.add(...request));
  }

  /** Counts an export that backpressure turned away before reading it. */
  refused(signal: Signal, transport: Transport, reason: RefusalReason): void {
    this.refusedRequests++;
    this.selfMetrics.refusedRequest(signal, transport, reason);
  }

  /** Stores a decoded profile (imported, captured or merged) under the memory budget, and on disk; returns its id. */
  /** `id`: one from `profiles.reserveId()` (an import answered before its decode ended). */
  addProfile(profile: CompactProfile, name: string, source: ProfileSource, id?: string): string {
    id = this.profiles.add(profile, name, source, id);
    // Written in the compact form, which keeps its name and source for a restart; one
    // loaded back from disk is not written again, only its place noted.
    if (this.disk) this.disk.received('profiles', this.disk.replaying ? Buffer.alloc(0) : Buffer.from(encodeCompactProfile(profile).buffer), 'compact', 1);
    this.fitBudget();
    this.events.changed({ profiles: 1 });
    return id;
  }

  get memoryBytes(): number {
    return this.traces.memoryBytes + this.logs.memoryBytes + this.metrics.memoryBytes + this.signals.memoryBytes + this.metricSignals.memoryBytes + this.profiles.memoryBytes + this.aggregates.memoryBytes + this.forwarder.memoryBytes + (this.disk?.shares.memoryBytes ?? 0);
  }

  status(version: string): StatusResponse {
    return {
      name: 'loupe',
      version,
      otlp: this.endpoints,
      ...this.snapshot(),
      memoryBytes: this.memoryBytes,
      memoryBudgetBytes: this.options.memoryBudgetBytes,
      process: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: getHeapStatistics().used_heap_size },
      startedAt: this.startedAt.toISOString(),
      ...(this.disk && { disk: this.disk.status() }),
      forward: this.forwarder.status(),
    };
  }

  /** A client asked the engine to stop: clients hear why before their streams end. */
  requestShutdown(reason: string): void {
    this.events.announceShutdown(reason);
    this.stop();
  }

  /** Empties both tiers; resolves once the disk tier's segments are gone too. */
  async clear(): Promise<void> {
    this.traces.clear();
    this.logs.clear();
    this.metrics.clear();
    this.signals.clear();
    this.metricSignals.clear();
    this.alerts.clear();
    this.profiles.clear();
    this.selfMetrics.reset();
    this.rejected = 0;
    this.refusedRequests = 0;
    await this.disk?.clear();
    this.events.changed({ cleared: true });
  }

  /**
   * Evicts the oldest data, whichever signal holds it, until the store fits its budget.
   * Ingest calls it after each request; so does whatever else grows what the budget counts.
   */
  fitBudget(): void {
    while (this.memoryBytes > this.options.memoryBudgetBytes) {
      const t = this.traces.oldestReceivedAt;
      const l = this.logs.oldestReceivedAt;
      const m = this.metrics.oldestReceivedAt;
      const p = this.profiles.oldestReceivedAt;
      if (t === Infinity && l === Infinity && m === Infinity && p === Infinity) return;
      if (p < t && p < l && p < m) {
        this.profiles.evictOldest();
        this.selfMetrics.evictedItems('profiles', 1);
      } else if (t <= l && t <= m) {
        const before = this.traces.evictedSpans;
        if (!this.traces.evictOldest()) return;
        this.selfMetrics.evictedItems('traces', this.traces.evictedSpans - before);
      } else if (l <= m) {
        const before = this.logs.evicted;
        this.logs.evictOldest();
        this.selfMetrics.evictedItems('logs', this.logs.evicted - before);
      } else {
        const before = this.metrics.evicted;
        this.metrics.evictOldest();
        this.selfMetrics.evictedItems('metrics', this.metrics.evicted - before);
      }
    }
  }

  private snapshot(): Pick<ChangeEvent, 'counts' | 'dropped' | 'instanceId'> {
    return {
      instanceId: this.instanceId,
      counts: {
        spans: this.traces.spanCount,
        traces: this.traces.traceCount,
        logs: this.logs.count,
        metricPoints: this.metrics.pointCount,
        profiles: this.profiles.count,
      },
      dropped: {
        spans: this.traces.evictedSpans,
        traces: this.traces.evictedTraces,
        logs: this.logs.evicted,
        metricPoints: this.metrics.evicted,
        rejected: this.rejected,
        refusedRequests: this.refusedRequests,
        profiles: this.profiles.evicted,
      },
    };
  }
}
