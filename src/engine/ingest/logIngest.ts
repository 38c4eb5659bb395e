// Log ingest: decode (either encoding), check ids, store.

import { decodeLogsJson } from '../otlp/json/logs.ts';
import { decodeLogsRequest } from '../otlp/protobuf/logs.ts';
import type { LogsData } from '../../protocol/otlp.ts';
import type { LogStore } from '../store/logStore.ts';
import type { Encoding, ExportResult } from './ingest.ts';
import { Rejections } from './rejections.ts';

export class LogIngest {
  lastAccepted = 0;

  constructor(private readonly store: LogStore) {}

  export(body: Buffer, encoding: Encoding): ExportResult {
    const data: LogsData = encoding === 'protobuf' ? decodeLogsRequest(body) : decodeLogsJson(body.toString('utf8'));
    const rejections = new Rejections();
    let accepted = 0;
    for (const rl of data.resourceLogs ?? []) {
      for (const sl of rl.scopeLogs ?? []) {
        const group = this.store.group(rl.resource ?? {}, sl.scope ?? {});
        for (const record of sl.logRecords ?? []) {
          const problem = idProblem(record.traceId, 32, 'traceId') || idProblem(record.spanId, 16, 'spanId');
          if (problem) {
            rejections.add(problem);
            continue;
          }
          this.store.add(record, group);
          accepted++;
        }
      }
    }
    this.lastAccepted = accepted;
    return rejections.result('log records');
  }
}

/** Ids are optional on log records, but when present must be whole. */
export function idProblem(id: string | undefined, hexDigits: number, field: string): string {
  if (!id) return '';
  if (id.length !== hexDigits || !/^[0-9a-f]*$/.test(id)) return `${field} must be ${hexDigits} hex digits (${hexDigits / 2} bytes), got "${id.slice(0, 40)}"`;
  return '';
}
