// Trace ingest: protobuf requests go through the fast scanner; OTLP/JSON requests are
// decoded, checked and re-encoded span by span so the store holds one form.

import { decodeResource, decodeScope } from '../otlp/protobuf/common.ts';
import { encodeSpan } from '../otlp/protobuf/encodeTraces.ts';
import type { InstrumentationScope, Resource, Span, TracesData } from '../../protocol/otlp.ts';
import type { SpanFacts, TraceStore } from '../store/traceStore.ts';
import { ScannedSpans, scanOneSpan, scanTracesRequest } from './scanTraces.ts';
import type { Encoding, ExportResult } from './ingest.ts';
import { decodeTracesJson } from '../otlp/json/traces.ts';
import { serviceNameOf } from '../store/serviceName.ts';
import { Rejections } from './rejections.ts';
import { SpanMark } from '../aggregates/spanMarks.ts';
import { newCodeRanges } from '../aggregates/codeAttributes.ts';

/**
 * Told of every stored server or consumer span: the source of request metrics and golden
 * signals. An error is status ERROR, or an HTTP server answer of 500 or more.
 */
export type RequestSpanSink = (serviceId: number, name: string, route: string, routeIsName: boolean, startNs: number, durationNs: number, isError: boolean) => void;

/** A request span counted without being stored, in the golden signals' terms (SignalStore.add). */
export type CountedRequestSink = (service: string, route: string, routeIsName: boolean, startNs: number, durationNs: number, isError: boolean, name: string) => void;

export interface TraceBatchSummary {
  spans: number;
  newTraces: number;
}

const EMPTY_RESOURCE: Resource = {};
const EMPTY_SCOPE: InstrumentationScope = {};

export class TraceIngest {
  private readonly scanned = new ScannedSpans();
  private readonly facts: SpanFacts = { traceKey: '', hasParent: false, name: '', kind: 0, statusCode: 0, startLo: 0, startHi: 0, durationNs: 0, marks: 0, code: newCodeRanges() };
  last: TraceBatchSummary = { spans: 0, newTraces: 0 };

  constructor(private readonly store: TraceStore, private readonly onRequestSpan: RequestSpanSink) {}

  protobuf(body: Buffer): ExportResult {
    const s = this.scanned;
    scanTracesRequest(body, s);
    const rejections = new Rejections();
    const summary: TraceBatchSummary = { spans: 0, newTraces: 0 };
    for (const g of s.groups) {
      if (g.first === g.last) continue;
      const groupId = this.groupOf(body, g.resource, g.resourceSchemaUrl, g.scope, g.scopeSchemaUrl);
      for (let i = g.first; i < g.last; i++) {
        if (s.rejected[i]) rejections.add(s.rejected[i]);
        else this.commit(groupId, body, i, summary);
      }
    }
    this.last = summary;
    return rejections.result('spans');
  }

  json(data: TracesData): ExportResult {
    const rejections = new Rejections();
    const summary: TraceBatchSummary = { spans: 0, newTraces: 0 };
    for (const rs of data.resourceSpans ?? []) {
      const resource = rs.resource ?? EMPTY_RESOURCE;
      for (const ss of rs.scopeSpans ?? []) {
        const scope = ss.scope ?? EMPTY_SCOPE;
        const groupId = this.store.group(resource, rs.schemaUrl ?? '', scope, ss.schemaUrl ?? '',
          'json' + JSON.stringify(resource) + (rs.schemaUrl ?? ''), JSON.stringify(scope) + (ss.schemaUrl ?? ''));
        for (const span of ss.spans ?? []) {
          const problem = jsonIdProblem(span);
          if (problem) {
            rejections.add(problem);
            continue;
          }
          const bytes = encodeSpan(span);
          scanOneSpan(bytes, this.scanned);
          this.commit(groupId, bytes, 0, summary);
        }
      }
    }
    this.last = summary;
    return rejections.result('spans');
  }

  /** Stores scanned span `i`, whose bytes are in `src`. */
  private commit(groupId: number, src: Buffer, i: number, summary: TraceBatchSummary): void {
    const s = this.scanned;
    const f = this.facts;
    const bits = s.bits[i];
    f.traceKey = s.traceKey[i];
    f.name = s.name[i];
    f.kind = bits & 7;
    f.statusCode = (bits >> 3) & 3;
    f.hasParent = (bits & 0x20) !== 0;
    f.marks = bits & (SpanMark.Exception | SpanMark.CodeFunction);
    f.startLo = s.startLo[i];
    f.startHi = s.startHi[i];
    f.durationNs = s.durationNs[i];
    f.code = s.code[i];
    const trace = this.store.add(groupId, src, s.start[i], s.end[i], f, s.hashes.values, s.hashStart(i), s.hashEnd[i]);
    summary.spans++;
    if (trace.spans.length === 1) summary.newTraces++;
    if (this.isRequest(i)) {
      this.onRequestSpan(this.store.groups[groupId].serviceId, f.name, s.route[i] || f.name, !s.route[i], f.startHi * 4294967296 + f.startLo, f.durationNs, this.isError(i));
    }
  }

  /**
   * Hands the request spans of a request to `sink` and stores nothing: an earlier
   * session's data that stays on disk, counted into the golden signals after a restart.
   * Spans are checked as at ingest (the rejected ones were not counted then either).
   */
  countRequestSpans(body: Buffer, encoding: Encoding, sink: CountedRequestSink): void {
    const s = this.scanned;
    if (encoding === 'json') {
      for (const rs of decodeTracesJson(body.toString('utf8')).resourceSpans ?? []) {
        const service = serviceNameOf(rs.resource ?? EMPTY_RESOURCE);
        for (const ss of rs.scopeSpans ?? []) {
          for (const span of ss.spans ?? []) {
            if ((span.kind !== 2 && span.kind !== 5) || jsonIdProblem(span)) continue;
            scanOneSpan(encodeSpan(span), s);
            this.countRequest(service, 0, sink);
          }
        }
      }
      return;
    }
    scanTracesRequest(body, s);
    for (const g of s.groups) {
      let service: string | undefined;
      for (let i = g.first; i < g.last; i++) {
        if (s.rejected[i] || !this.isRequest(i)) continue;
        service ??= serviceNameOf(g.resource ? decodeResource(body, g.resource[0], g.resource[1]) : EMPTY_RESOURCE);
        this.countRequest(service, i, sink);
      }
    }
  }

  private countRequest(service: string, i: number, sink: CountedRequestSink): void {
    const s = this.scanned;
    sink(service, s.route[i] || s.name[i], !s.route[i], s.startHi[i] * 4294967296 + s.startLo[i], s.durationNs[i], this.isError(i), s.name[i]);
  }

  /** A server or consumer span: the requests the golden signals count. */
  private isRequest(i: number): boolean {
    const kind = this.scanned.bits[i] & 7;
    return kind === 2 || kind === 5;
  }

  /** Status ERROR, or an HTTP server answer of 500 or more. */
  private isError(i: number): boolean {
    const bits = this.scanned.bits[i];
    return ((bits >> 3) & 3) === 2 || ((bits & 7) === 2 && this.scanned.httpStatus[i] >= 500);
  }

  private groupOf(body: Buffer, resource: [number, number] | undefined, resourceSchemaUrl: string, scope: [number, number] | undefined, scopeSchemaUrl: string): number {
    const resourceKey = (resource ? body.latin1Slice(resource[0], resource[1]) : '') + '\u0000' + resourceSchemaUrl;
    const scopeKey = (scope ? body.latin1Slice(scope[0], scope[1]) : '') + '\u0000' + scopeSchemaUrl;
    const known = this.store.findGroup(resourceKey, scopeKey);
    if (known !== undefined) return known;
    return this.store.group(
      resource ? decodeResource(body, resource[0], resource[1]) : EMPTY_RESOURCE, resourceSchemaUrl,
      scope ? decodeScope(body, scope[0], scope[1]) : EMPTY_SCOPE, scopeSchemaUrl,
      resourceKey, scopeKey);
  }

}

const HEX = /^[0-9a-f]*$/;

function jsonIdProblem(span: Span): string {
  const t = span.traceId ?? '';
  const s = span.spanId ?? '';
  const p = span.parentSpanId ?? '';
  if (t.length !== 32 || !HEX.test(t)) return `traceId must be 32 hex digits, got "${t.slice(0, 40)}"`;
  if (/^0+$/.test(t)) return 'traceId must not be all zeros';
  if (s.length !== 16 || !HEX.test(s)) return `spanId must be 16 hex digits, got "${s.slice(0, 40)}"`;
  if (p.length !== 0 && (p.length !== 16 || !HEX.test(p))) return `parentSpanId must be empty or 16 hex digits, got "${p.slice(0, 40)}"`;
  return '';
}
