// Where a function named by telemetry is defined in a document: the editor's own
// symbols first, then a definition pattern of common languages, then the line the
// spans gave. Pure, so it is tested without an editor.

import type { FunctionStats } from '../../protocol/insights.ts';

export interface SymbolLine {
  name: string;
  /** 0-based. */
  line: number;
}

/** 0-based line, or undefined when the function is not found. */
export function findFunctionLine(stats: Pick<FunctionStats, 'function' | 'line'>, symbols: readonly SymbolLine[], text: string): number | undefined {
  // `Class.method`, `module:fn`, `pkg.(*T).Method`: the last name is what the source says.
  const name = stats.function.split(/[.:/\\]/).filter(Boolean).pop()?.replace(/[()*]/g, '') ?? '';
  if (!name) return undefined;
  const symbol = symbols.find((s) => s.name === name || s.name === stats.function || s.name.startsWith(`${name}(`));
  if (symbol) return symbol.line;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const definition = new RegExp(
    [
      `\\bfunction\\s*\\*?\\s*${escaped}\\s*\\(`, // JavaScript
      `\\b${escaped}\\s*[:=]\\s*(async\\s+)?(function\\b|\\([^)]*\\)\\s*=>|[A-Za-z_$][\\w$]*\\s*=>)`, // arrow or function value
      `\\bdef\\s+${escaped}\\s*\\(`, // Python, Ruby
      `\\bfunc\\s+(\\([^)]*\\)\\s*)?${escaped}\\s*\\(`, // Go
      `^\\s*(public|private|protected|internal|static|async|override|virtual|final|\\s)*[\\w<>\\[\\],.?]+\\s+${escaped}\\s*\\(`, // Java, C#
      `^\\s*(async\\s+)?${escaped}\\s*\\([^)]*\\)\\s*\\{`, // a method in a class body
    ].join('|'),
    'm',
  );
  const lines = text.split(/\r?\n/);
  const found = lines.findIndex((l) => definition.test(l));
  if (found >= 0) return found;
  return stats.line !== undefined && stats.line <= lines.length ? stats.line - 1 : undefined;
}
