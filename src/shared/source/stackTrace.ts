// Stack traces as text (exception.stacktrace, code.stacktrace) → frames with source
// locations, for JavaScript/TypeScript (V8), Python, Java/Kotlin, Go, .NET and Ruby.
//
// Every non-blank line is kept, in order, so that a view can show the whole trace and
// link the frames in it: a line that is not a frame (the message, "Caused by: …",
// "... 5 more", "goroutine 1 [running]:") becomes `{ raw }` with no function, location
// or `userCode`. A frame that spans lines is one entry: a Go function with its file
// line, a Python frame with the source line and markers Python echoes under it.

import type { SourceLocation } from '../../protocol/webview.ts';
import { readDotnetFrameWithFile, readDotnetFrameWithoutFile } from './formats/dotnet.ts';
import { readGoFrame } from './formats/go.ts';
import { readJvmFrame } from './formats/jvm.ts';
import { readPythonFrame } from './formats/python.ts';
import type { FrameMatch, FrameReader } from './formats/reader.ts';
import { readRubyFrame } from './formats/ruby.ts';
import { readV8Frame } from './formats/v8.ts';

export interface StackFrame {
  /** The text as it appeared: one line, or several joined with "\n". */
  raw: string;
  function?: string;
  location?: SourceLocation;
  /**
   * Set on frames only: false for the runtime's own code and installed dependencies
   * (node:internal, node_modules, site-packages, java.*, System.*, Go's standard
   * library and module cache, gems) and for frames without a location.
   */
  userCode?: boolean;
}

/** Most specific first: .NET and JVM frames also start with "at", as V8's do. */
const READERS: FrameReader[] = [
  readPythonFrame,
  readDotnetFrameWithFile,
  readJvmFrame,
  readV8Frame,
  readDotnetFrameWithoutFile,
  readRubyFrame,
  readGoFrame,
];

/** No real frame is this long; not matching longer lines keeps hostile input cheap. */
const MAX_FRAME_LINE = 4096;

export function parseStackTrace(text: string): StackFrame[] {
  const lines = text.split(/\r?\n|\r/);
  const frames: StackFrame[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const match = line.length <= MAX_FRAME_LINE ? readFrame(lines, i) : undefined;
    frames.push(match ? match.frame : { raw: line });
    i += match ? match.lines : 1;
  }
  return frames;
}

function readFrame(lines: readonly string[], index: number): FrameMatch | undefined {
  for (const read of READERS) {
    const match = read(lines, index);
    if (match) return match;
  }
  return undefined;
}

const STACK_ATTRIBUTES = ['exception.stacktrace', 'code.stacktrace'];

/**
 * Where an exception (or the code that made a span) came from: the first frame in the
 * user's own code of `exception.stacktrace`, else of `code.stacktrace`.
 */
export function exceptionSource(attributes: Record<string, unknown>): SourceLocation | undefined {
  for (const key of STACK_ATTRIBUTES) {
    const text = attributes[key];
    if (typeof text !== 'string') continue;
    const frame = parseStackTrace(text).find((f) => f.userCode);
    if (frame?.location) return frame.location;
  }
  return undefined;
}
