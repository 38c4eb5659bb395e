// Log ingest: protobuf requests go through the fast scanner (scanLogs.ts); OTLP/JSON
// requests are decoded, checked and re-encoded record by record so the store holds one
// form.

import { decodeLogsJson } from '../otlp/json/logs.ts';
import { decodeResource, decodeScope } from '../otlp/protobuf/common.ts';
import { encodeLogRecord } from '../otlp/protobuf/encodeLogs.ts';
import type { InstrumentationScope, Resource } from '../../protocol/otlp.ts';
import type { LogFacts, LogStore } from '../store/logStore.ts';
import type { Encoding, ExportResult } from './ingest.ts';
import { Rejections } from './rejections.ts';
import { ScannedLogs, scanLogsRequest, scanOneLogRecord } from './scanLogs.ts';

const EMPTY_RESOURCE: Resource = {};
const EMPTY_SCOPE: InstrumentationScope = {};

export class LogIngest {
  lastAccepted = 0;
  private readonly scanned = new ScannedLogs();
  private readonly facts: LogFacts = { timeNs: 0, severity: 0, message: '', traceHash: 0, spanHash: 0 };

  constructor(private readonly store: LogStore) {}

  export(body: Buffer, encoding: Encoding): ExportResult {
    return encoding === 'protobuf' ? this.protobuf(body) : this.json(body);
  }

  private protobuf(body: Buffer): ExportResult {
    const s = this.scanned;
    scanLogsRequest(body, s);
    const rejections = new Rejections();
    let accepted = 0;
    for (const g of s.groups) {
      if (g.first === g.last) continue;
      const groupId = this.groupOf(body, g.resource, g.resourceSchemaUrl, g.scope, g.scopeSchemaUrl);
      for (let i = g.first; i < g.last; i++) {
        if (s.rejected[i]) {
          rejections.add(s.rejected[i]);
        } else {
          this.commit(groupId, body, i);
          accepted++;
        }
      }
    }
    this.lastAccepted = accepted;
    return rejections.result('log records');
  }

  private json(body: Buffer): ExportResult {
    const data = decodeLogsJson(body.toString('utf8'));
    const rejections = new Rejections();
    let accepted = 0;
    for (const rl of data.resourceLogs ?? []) {
      const resource = rl.resource ?? EMPTY_RESOURCE;
      for (const sl of rl.scopeLogs ?? []) {
        const scope = sl.scope ?? EMPTY_SCOPE;
        const key = 'json' + JSON.stringify(resource) + '\u0000' + JSON.stringify(scope);
        const groupId = this.store.findGroup(key) ?? this.store.group(resource, scope, key);
        for (const record of sl.logRecords ?? []) {
          const problem = idProblem(record.traceId, 32, 'traceId') || idProblem(record.spanId, 16, 'spanId');
          if (problem) {
            rejections.add(problem);
            continue;
          }
          const bytes = encodeLogRecord(record);
          scanOneLogRecord(bytes, this.scanned);
          this.commit(groupId, bytes, 0);
          accepted++;
        }
      }
    }
    this.lastAccepted = accepted;
    return rejections.result('log records');
  }

  /** Stores scanned record `i`, whose bytes are in `src`. */
  private commit(groupId: number, src: Buffer, i: number): void {
    const s = this.scanned;
    const f = this.facts;
    f.timeNs = s.timeNs[i];
    f.severity = s.severity[i];
    f.message = s.message[i];
    f.traceHash = s.traceHash[i];
    f.spanHash = s.spanHash[i];
    this.store.add(groupId, src, s.start[i], s.end[i], f, s.hashes.values, s.hashStart(i), s.hashEnd[i]);
  }

  private groupOf(body: Buffer, resource: [number, number] | undefined, resourceSchemaUrl: string, scope: [number, number] | undefined, scopeSchemaUrl: string): number {
    const key = (resource ? body.latin1Slice(resource[0], resource[1]) : '') + '\u0000' + resourceSchemaUrl + '\u0000'
      + (scope ? body.latin1Slice(scope[0], scope[1]) : '') + '\u0000' + scopeSchemaUrl;
    return this.store.findGroup(key) ?? this.store.group(
      resource ? decodeResource(body, resource[0], resource[1]) : EMPTY_RESOURCE,
      scope ? decodeScope(body, scope[0], scope[1]) : EMPTY_SCOPE,
      key);
  }
}

/** Ids are optional on log records, but when present must be whole. */
export function idProblem(id: string | undefined, hexDigits: number, field: string): string {
  if (!id) return '';
  if (id.length !== hexDigits || !/^[0-9a-f]*$/.test(id)) return `${field} must be ${hexDigits} hex digits (${hexDigits / 2} bytes), got "${id.slice(0, 40)}"`;
  return '';
}
