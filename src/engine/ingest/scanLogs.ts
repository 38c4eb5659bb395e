// The protobuf log ingest path: walks an ExportLogsServiceRequest once, checks its
// structure, reads the few fields the log store indexes and notes where each record's
// bytes are. Nothing is stored until the whole request has been read, so a request that
// fails to decode leaves nothing behind.

import { decodeAnyValue } from '../otlp/protobuf/common.ts';
import { WireReader, WireType } from '../otlp/protobuf/wire.ts';
import { idHash } from '../store/logChunk.ts';
import { plainValue } from '../../shared/plainValue.ts';
import { checkAnyValue, expectWire } from './spanValidation.ts';
import { envelopeNames, ScannedItems, scanEnvelope, scanKeyValue } from './scanEnvelope.ts';

/** Columns of the records read from one request; reused from request to request. */
export class ScannedLogs extends ScannedItems {
  timeNs: number[] = [];
  /** The severity number, or the level the severity text names when the number is unset. */
  severity: number[] = [];
  /** The body as text (strings as they are, structured bodies as JSON): what patterns read. */
  message: string[] = [];
  traceHash: number[] = [];
  spanHash: number[] = [];
}

const NAMES = envelopeNames('ExportLogsServiceRequest', 'ResourceLogs', 'scope_logs', 'ScopeLogs', 'log_records');

const LEVELS: Record<string, number> = { trace: 1, debug: 5, info: 9, information: 9, notice: 10, warn: 13, warning: 13, error: 17, err: 17, critical: 21, fatal: 21 };

/** The severity number a record's text names (`WARN`, `error`…), or 0. */
export function severityOfText(text: string): number {
  return LEVELS[text.toLowerCase()] ?? 0;
}

export function scanLogsRequest(buf: Buffer, out: ScannedLogs): void {
  scanEnvelope(buf, out, NAMES, scanLogRecord);
}

/** Reads one encoded LogRecord (the OTLP/JSON path encodes records one by one). */
export function scanOneLogRecord(buf: Buffer, out: ScannedLogs): void {
  out.reset();
  scanLogRecord(new WireReader(buf), buf.length, out);
}

function scanLogRecord(r: WireReader, end: number, out: ScannedLogs): void {
  const outer = r.end;
  r.end = end;
  const buf = r.buf;
  const start = r.pos;
  let time = 0, observed = 0, severity = 0, severityText = '';
  let traceStart = -1, traceLen = 0, spanStart = -1, spanLen = 0;
  let message = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: expectWire(tag, WireType.Fixed64, 'LogRecord.time_unix_nano'); time = fixed64(buf, r.pos); r.skip(WireType.Fixed64); break;
      case 2: expectWire(tag, WireType.Varint, 'LogRecord.severity_number'); severity = r.uint32(); break;
      case 3: expectWire(tag, WireType.LengthDelimited, 'LogRecord.severity_text'); severityText = r.string(); break;
      case 5: {
        expectWire(tag, WireType.LengthDelimited, 'LogRecord.body');
        const e = r.delimitedEnd();
        const s = r.pos;
        checkAnyValue(r, e, 1);
        message = bodyText(buf, s, e);
        r.pos = e;
        break;
      }
      case 6: {
        expectWire(tag, WireType.LengthDelimited, 'LogRecord.attributes');
        const e = r.delimitedEnd();
        scanKeyValue(r, e, out.hashes);
        r.pos = e;
        break;
      }
      case 7: expectWire(tag, WireType.Varint, 'LogRecord.dropped_attributes_count'); r.skip(WireType.Varint); break;
      case 8: expectWire(tag, WireType.Fixed32, 'LogRecord.flags'); r.skip(WireType.Fixed32); break;
      case 9: expectWire(tag, WireType.LengthDelimited, 'LogRecord.trace_id'); traceLen = r.delimitedEnd() - r.pos; traceStart = r.pos; r.pos += traceLen; break;
      case 10: expectWire(tag, WireType.LengthDelimited, 'LogRecord.span_id'); spanLen = r.delimitedEnd() - r.pos; spanStart = r.pos; r.pos += spanLen; break;
      case 11: expectWire(tag, WireType.Fixed64, 'LogRecord.observed_time_unix_nano'); observed = fixed64(buf, r.pos); r.skip(WireType.Fixed64); break;
      case 12: expectWire(tag, WireType.LengthDelimited, 'LogRecord.event_name'); r.skip(WireType.LengthDelimited); break;
      default: r.skip(tag & 7);
    }
  }
  const i = out.count++;
  out.hashEnd[i] = out.hashes.count;
  out.start[i] = start;
  out.end[i] = end;
  out.timeNs[i] = time || observed;
  out.severity[i] = severity > 0 && severity <= 24 ? severity : severityOfText(severityText);
  out.message[i] = message;
  out.traceHash[i] = traceLen ? idHash(buf, traceStart, traceStart + traceLen) : 0;
  out.spanHash[i] = spanLen ? idHash(buf, spanStart, spanStart + spanLen) : 0;
  out.rejected[i] = traceLen !== 0 && traceLen !== 16 ? `trace_id must be empty or 16 bytes, got ${traceLen}`
    : spanLen !== 0 && spanLen !== 8 ? `span_id must be empty or 8 bytes, got ${spanLen}` : '';
  r.end = outer;
}

function fixed64(buf: Buffer, pos: number): number {
  return buf.readUInt32LE(pos + 4) * 4294967296 + buf.readUInt32LE(pos);
}

const MESSAGE_KEYS = ['message', 'msg', 'event'];

/**
 * A string body as it is (the common case, read without decoding); a structured body by
 * its message field when it has one (structured loggers put the message there), else as JSON.
 */
function bodyText(buf: Buffer, start: number, end: number): string {
  if (start === end) return '';
  if (buf[start] === 0x0a) return new WireReader(buf, start + 1, end).string();
  const value = plainValue(decodeAnyValue(buf, start, end));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const fields = value as Record<string, unknown>;
    const key = MESSAGE_KEYS.find((k) => typeof fields[k] === 'string');
    if (key) return fields[key] as string;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
