// A CodeLens above each function that spans name (`code.function.name` and a file that
// maps to this document): call count, p95 and error rate; a click opens those traces.

import * as vscode from 'vscode';
import type { FunctionStats } from '../../protocol/insights.ts';
import { mapPath, matchByTail } from '../../shared/source/pathMapping.ts';
import type { LoupeContext } from '../context.ts';
import { Command } from '../ids.ts';
import { formatCount, formatMs, formatPercent } from '../views/format.ts';
import { findFunctionLine, type SymbolLine } from './functionLine.ts';

class FunctionLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private stats: FunctionStats[] = [];

  constructor(private readonly ctx: LoupeContext) {}

  async reload(): Promise<void> {
    const api = this.ctx.api;
    if (!api || !this.ctx.settings.codeLens) this.stats = [];
    else {
      try {
        this.stats = await api.get<FunctionStats[]>('/api/functions');
      } catch {
        return; // keep the last good numbers
      }
    }
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const mine = this.stats.filter((s) => s.file && fileMatches(s.file, doc.uri.fsPath, this.ctx));
    if (!mine.length) return [];
    const symbols = await documentSymbols(doc.uri);
    const lenses: vscode.CodeLens[] = [];
    for (const s of mine) {
      const line = findFunctionLine(s, symbols, doc.getText());
      if (line === undefined) continue;
      const errors = s.errorCount ? ` · ${formatPercent(s.errorCount / s.count)} errors` : ' · no errors';
      const filters: Record<string, string> = s.operations.length === 1 ? { service: s.service, operation: s.operations[0] } : { service: s.service, q: s.function };
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: `$(pulse) ${formatCount(s.count)} calls · p95 ${formatMs(s.p95Ms)}${errors}`,
        tooltip: `Loupe: spans of ${s.function} in ${s.service}. Click to open their traces.`,
        command: Command.openTraces,
        arguments: [filters],
      }));
    }
    return lenses;
  }
}

function fileMatches(telemetryPath: string, docPath: string, ctx: LoupeContext): boolean {
  const mapped = mapPath(telemetryPath, ctx.settings.pathMappings);
  return mapped === docPath || matchByTail(mapped, [docPath]) === docPath;
}

export async function documentSymbols(uri: vscode.Uri): Promise<SymbolLine[]> {
  try {
    const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
    const out: SymbolLine[] = [];
    const walk = (list: (vscode.DocumentSymbol | vscode.SymbolInformation)[]) => {
      for (const s of list) {
        if ('range' in s) {
          out.push({ name: s.name, line: s.range.start.line });
          walk(s.children ?? []);
        } else out.push({ name: s.name, line: s.location.range.start.line });
      }
    };
    walk(symbols ?? []);
    return out;
  } catch {
    return [];
  }
}

export function registerFunctionCodeLens(ctx: LoupeContext): vscode.Disposable {
  const lenses = new FunctionLenses(ctx);
  void lenses.reload();
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    ctx.onDidChangeData(() => void lenses.reload()),
  );
}
