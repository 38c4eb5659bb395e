// JavaScript and TypeScript stacks as V8 prints them (Node, Chrome, Deno, Bun-compatible):
//     at fn (file:line:col), at file:line:col, at async fn (...), at new Cls (...),
//     at eval (eval at fn (file:line:col), <anonymous>:1:2), at JSON.parse (<anonymous>)

import { fileUrlToPath } from '../paths.ts';
import { isPseudoPath, oneLine, openingOfFinalParen, positiveInt, sourceLocation, type FrameMatch } from './reader.ts';

const AT = /^\s*at\s+(?:async\s+)?(.+?)\s*$/;
const FILE_LINE_COLUMN = /^(.+?):(\d+)(?::(\d+))?$/;
/** The innermost `(file:line:col)` of an eval origin: where eval was called. */
const EVAL_SITE = /\(([^()]*)\)/;

export function readV8Frame(lines: readonly string[], index: number): FrameMatch | undefined {
  const raw = lines[index]!;
  const at = AT.exec(raw);
  if (!at) return undefined;
  const body = at[1]!;
  const open = openingOfFinalParen(body);
  // `fn (where)` always has a space before the parenthesis; `name(args)` is not V8.
  if (open > 0 && body[open - 1] === ' ') {
    const fn = body.slice(0, open - 1).trim();
    return frameAt(raw, fn, body.slice(open + 1, -1));
  }
  if (open >= 0) return undefined;
  if (body === '<anonymous>' || body === 'native') return oneLine(raw, undefined, undefined, false);
  return FILE_LINE_COLUMN.test(body) ? frameAt(raw, undefined, body) : undefined;
}

function frameAt(raw: string, fn: string | undefined, where: string): FrameMatch {
  if (where.startsWith('eval at ')) where = EVAL_SITE.exec(where)?.[1] ?? where;
  const m = FILE_LINE_COLUMN.exec(where);
  if (!m || isPseudoPath(m[1]!)) return oneLine(raw, fn, undefined, false);
  const path = fileUrlToPath(m[1]!);
  const line = positiveInt(m[2]);
  return oneLine(raw, fn, sourceLocation(path, line, positiveInt(m[3]), fn), isUserPath(path));
}

/** Node's own modules and installed packages are not the code a developer wants to open. */
function isUserPath(path: string): boolean {
  return !/^(?:node|ext|bun):|^internal[\\/]/.test(path) && !/[\\/]node_modules[\\/]/.test(path);
}
