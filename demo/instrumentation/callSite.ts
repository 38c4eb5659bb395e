// `code.*` attributes that point at the line of application code that started a span
// or wrote a log record, read from a stack captured at that moment. Loupe turns them
// into links to the source.

import { sep } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { parseStackTrace } from '../../src/shared/source/stackTrace.ts';

/** Frames in this folder are the instrumentation itself, never the call site. */
const INSTRUMENTATION_DIR = __dirname + sep;

/**
 * The first frame of application code on the current stack. tsx maps the stack back
 * to the TypeScript source, so lines and columns are those of the .ts files.
 */
export function callSiteAttributes(): Attributes {
  const frame = parseStackTrace(new Error().stack ?? '').find(
    (f) => f.userCode && !f.location!.path.startsWith(INSTRUMENTATION_DIR),
  );
  const loc = frame?.location;
  if (!loc) return {};
  const attributes: Attributes = { 'code.file.path': loc.path };
  if (loc.line !== undefined) attributes['code.line.number'] = loc.line;
  if (loc.column !== undefined) attributes['code.column.number'] = loc.column;
  if (loc.function) attributes['code.function.name'] = loc.function;
  return attributes;
}
