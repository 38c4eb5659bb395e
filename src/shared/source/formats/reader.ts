// What each stack-trace format provides: a reader that recognises the frame starting
// at a given line and says how many lines it spans (two for Go, more for Python).

import type { SourceLocation } from '../../../protocol/webview.ts';
import type { StackFrame } from '../stackTrace.ts';

export interface FrameMatch {
  frame: StackFrame;
  /** Lines consumed, at least 1. */
  lines: number;
}

export type FrameReader = (lines: readonly string[], index: number) => FrameMatch | undefined;

/** A 1-based line or column number, or undefined for anything else (0, "12a", 1e99). */
export function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

export function sourceLocation(path: string, line?: number, column?: number, fn?: string): SourceLocation {
  const loc: SourceLocation = { path };
  if (line !== undefined) loc.line = line;
  if (line !== undefined && column !== undefined) loc.column = column;
  if (fn) loc.function = fn;
  return loc;
}

/** A frame without a location is never user code: there is nothing to open. */
export function makeFrame(raw: string, fn: string | undefined, location: SourceLocation | undefined, userCode: boolean): StackFrame {
  const frame: StackFrame = { raw, userCode: userCode && location !== undefined };
  if (fn) frame.function = fn;
  if (location) frame.location = location;
  return frame;
}

export function oneLine(raw: string, fn: string | undefined, location: SourceLocation | undefined, userCode: boolean): FrameMatch {
  return { frame: makeFrame(raw, fn, location, userCode), lines: 1 };
}

/**
 * Index of the `(` that the text's final `)` closes, or -1: splits `name(args)` where
 * the name may itself hold parentheses, as Go's `main.(*Server).handle(...)` does.
 */
export function openingOfFinalParen(text: string): number {
  if (!text.endsWith(')')) return -1;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

/** `<anonymous>`, `<string>`, `[eval]`: places a runtime names that are not files. */
export function isPseudoPath(path: string): boolean {
  return path.startsWith('<') || path.startsWith('[') || path === '-e';
}
