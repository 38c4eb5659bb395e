// Where a span or log record says it came from, read from its attributes (as plain
// values, see ../plainValue.ts) with the OpenTelemetry `code.*` conventions.

import type { SourceLocation } from '../../protocol/webview.ts';
import { fileUrlToPath } from './paths.ts';
import { exceptionSource } from './stackTrace.ts';

/**
 * `code.file.path` + `code.line.number` (+ `code.column.number`, `code.function.name`),
 * else their deprecated names `code.filepath`, `code.lineno`, `code.column`,
 * `code.namespace` + `code.function`; each stable name wins over its deprecated one.
 * Without a path, the first user-code frame of `exception.stacktrace` or
 * `code.stacktrace`, as product.md orders them.
 */
export function spanSource(attributes: Record<string, unknown>): SourceLocation | undefined {
  const path = text(attributes['code.file.path']) ?? text(attributes['code.filepath']);
  if (path === undefined) return exceptionSource(attributes);
  const loc: SourceLocation = { path: fileUrlToPath(path) };
  const line = lineNumber(attributes['code.line.number']) ?? lineNumber(attributes['code.lineno']);
  if (line !== undefined) {
    loc.line = line;
    const column = lineNumber(attributes['code.column.number']) ?? lineNumber(attributes['code.column']);
    if (column !== undefined) loc.column = column;
  }
  const fn = text(attributes['code.function.name']) ?? deprecatedFunction(attributes);
  if (fn !== undefined) loc.function = fn;
  return loc;
}

/** The deprecated pair split what `code.function.name` now holds whole. */
function deprecatedFunction(attributes: Record<string, unknown>): string | undefined {
  const fn = text(attributes['code.function']);
  const ns = text(attributes['code.namespace']);
  if (fn === undefined) return undefined;
  return ns === undefined ? fn : `${ns}.${fn}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** 1-based; senders put numbers in ints, doubles or strings, so all are accepted. */
function lineNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
