// Python tracebacks:   File "/app/orders.py", line 6, in load
// The lines after a frame that are indented deeper (the source line Python echoes and
// the ~~~^^^ markers of 3.11+) belong to that frame and join its raw text.

import { isPseudoPath, makeFrame, positiveInt, sourceLocation, type FrameMatch } from './reader.ts';

// `|` and `+` prefix the frames of exception groups (PEP 654).
const FILE_LINE = /^([\s|+-]*)File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;

export function readPythonFrame(lines: readonly string[], index: number): FrameMatch | undefined {
  const m = FILE_LINE.exec(lines[index]!);
  if (!m) return undefined;
  const [, prefix, path, lineText, fn] = m as unknown as [string, string, string, string, string | undefined];
  let end = index + 1;
  while (end < lines.length && isEchoLine(lines[end]!, prefix.length)) end++;
  const raw = lines.slice(index, end).join('\n');
  const location = isPseudoPath(path) ? undefined : sourceLocation(path, positiveInt(lineText), undefined, fn);
  return { frame: makeFrame(raw, fn, location, isUserPath(path)), lines: end - index };
}

function isEchoLine(line: string, frameIndent: number): boolean {
  const indent = /^[\s|]*/.exec(line)![0].length;
  return indent > frameIndent && line.trim() !== '' && !FILE_LINE.test(line);
}

/** The standard library and installed packages (site-packages, dist-packages). */
function isUserPath(path: string): boolean {
  return !/[\\/](?:site|dist)-packages[\\/]|[\\/]lib[\\/]python\d[\d.]*[\\/]|python\d*[\\/]lib[\\/]/i.test(path);
}
