// Both tiers as one store, for every reader: the HTTP routes and the agent's tools alike.
// A read starts with `BothTiers.read(engine)`, which waits until what memory evicted can
// be read from its segment file (a record just evicted may still wait in the writer's
// buffer, in neither tier); the answers are then taken synchronously, so memory cannot
// evict more between the wait and the read. Without a disk tier, memory answers alone.

import type { BackLinksResponse, DiskAnswer, LogEntry, MetricSeriesResponse, TraceSummary } from '../../protocol/api.ts';
import type { CompactProfile, ProfileSummary } from '../../protocol/profile.ts';
import type { Engine } from '../engine.ts';
import { findBackLinks, type LinkTarget } from '../query/backLinks.ts';
import { searchLogs, type LogFilter } from '../query/logSearch.ts';
import { metricSeries } from '../query/metricSearch.ts';
import { searchTraces, type TraceFilter } from '../query/traceSearch.ts';
import { traceKeyFromHex } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { diskBackLinks } from './diskBackLinks.ts';
import type { FoundTrace } from './diskQuery.ts';
import { diskPlaceOf } from './diskProfiles.ts';

/** Where a compare or a summary reads traces: the trace list's search, and each trace's spans. */
export interface TraceSource {
  search(f: TraceFilter): TraceSummary[];
  /** The store holding every span of the trace (one read from disk when memory evicted it); memory's when none does. */
  storeOf(traceIdHex: string): TraceStore;
}

export class BothTiers implements TraceSource {
  private constructor(private readonly engine: Engine) {}

  /** Resolves once memory and disk together hold everything received; read the answers at once. */
  static async read(engine: Engine): Promise<BothTiers> {
    await engine.disk?.readable();
    return new BothTiers(engine);
  }

  /** The trace list: memory's answer, with what the disk tier holds of what memory evicted (those carry `fromDisk`). */
  traces(f: TraceFilter): { traces: TraceSummary[]; disk?: DiskAnswer } {
    const { engine } = this;
    const hot = searchTraces(engine.traces, f);
    return engine.disk ? engine.disk.query.traces(engine.traces, f, hot) : { traces: hot };
  }

  search(f: TraceFilter): TraceSummary[] {
    return this.traces(f).traces;
  }

  /** One trace (`key`: its 16 id bytes): memory's, one read from disk, or both parts merged. */
  trace(key: string): FoundTrace | undefined {
    const { engine } = this;
    if (engine.disk) return engine.disk.query.find(engine.traces, key);
    const hot = engine.traces.get(key);
    return hot && { store: engine.traces, trace: hot, tier: 'memory' };
  }

  storeOf(traceIdHex: string): TraceStore {
    const key = traceKeyFromHex(traceIdHex);
    return (key === undefined ? undefined : this.trace(key)?.store) ?? this.engine.traces;
  }

  /** The spans of other traces that link into `target`: memory's first, then those only the disk holds. */
  backLinks(target: LinkTarget): BackLinksResponse {
    const { engine } = this;
    const hot = findBackLinks(engine.traces, target);
    return engine.disk ? diskBackLinks(engine.disk, target, hot) : hot;
  }

  /** The log list, as the trace list: records from disk carry `fromDisk`. */
  logs(f: LogFilter): { logs: LogEntry[]; disk?: DiskAnswer } {
    const { engine } = this;
    const hot = searchLogs(engine.logs, f);
    return engine.disk ? engine.disk.query.logs(f, hot) : { logs: hot };
  }

  /** A metric's series (`GET /api/metrics/series`): points memory evicted in the window come from disk. */
  metricSeries(q: URLSearchParams): MetricSeriesResponse {
    const { engine } = this;
    const disk = engine.disk;
    return metricSeries(engine.metrics, q, disk && ((start, end) => disk.metrics.stores(start, end)));
  }

  /** Profiles oldest first: memory's, after those only the disk holds (marked `fromDisk`); with `traceId`, those tied to it. */
  profiles(traceId?: string): ProfileSummary[] {
    const { engine } = this;
    const hot = engine.profiles.list(traceId);
    if (!engine.disk) return hot;
    const cold = engine.disk.profiles.list(engine.profiles.diskRefs(), traceId);
    return cold.length ? [...cold, ...hot] : hot;
  }

  /** A profile by id: memory's, or one read from disk (by its disk id, or the id it had before memory evicted it). */
  profile(id: string): CompactProfile | undefined {
    const { engine } = this;
    const hot = engine.profiles.get(id);
    if (hot || !engine.disk) return hot;
    const place = diskPlaceOf(id) ?? engine.profiles.evictedRef(id);
    return place === undefined ? undefined : engine.disk.profiles.get(place);
  }
}

