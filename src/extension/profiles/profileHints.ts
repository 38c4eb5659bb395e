// While a profile is active, the code shows where its time went: each line's self time
// as a heat tint and an inline hint, and a CodeLens with self and total above each
// function the profile names. Paths go through `loupe.pathMappings`, else the tail match.

import * as vscode from 'vscode';
import { PROFILE_MEDIA_TYPE } from '../../shared/profile/codec.ts';
import type { TopFunction } from '../../protocol/profile.ts';
import { decodeCompactProfile } from '../../shared/profile/codec.ts';
import { mapPath, matchByTail } from '../../shared/source/pathMapping.ts';
import { documentSymbols } from '../codelens/functionCodeLens.ts';
import { findFunctionLine } from '../codelens/functionLine.ts';
import type { LoupeContext } from '../context.ts';
import { Command } from '../ids.ts';
import { chosenType, lineSelf, type LineSelf } from './lineSelf.ts';

const HEAT_LEVELS = 5;
const TOP_ROWS = 5000;

interface Loaded {
  id: string;
  name: string;
  unit: string;
  lines: LineSelf;
  top: TopFunction[];
}

class ProfileHints implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private loaded: Loaded | undefined;
  private readonly heat = Array.from({ length: HEAT_LEVELS }, (_, i) => vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: `rgba(230, 110, 40, ${(0.06 + 0.07 * i).toFixed(2)})`,
    overviewRulerColor: `rgba(230, 110, 40, ${(0.3 + 0.15 * i).toFixed(2)})`,
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  }));
  private readonly hint = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });

  constructor(private readonly ctx: LoupeContext) {}

  async load(id: string | undefined): Promise<void> {
    const api = this.ctx.api;
    if (!id || !api) {
      this.loaded = undefined;
    } else {
      try {
        const { status, bytes, body } = await api.relayBytes(`/api/profiles/${encodeURIComponent(id)}?format=binary&samples=by-stack`, PROFILE_MEDIA_TYPE);
        if (!bytes) throw new Error((body as { error?: string } | undefined)?.error ?? `HTTP ${status}`);
        const p = decodeCompactProfile(bytes);
        const type = chosenType(p, this.ctx.activeProfile.sampleType);
        const top = await api.get<TopFunction[]>(`/api/profiles/${encodeURIComponent(id)}/top?sampleType=${type}&limit=${TOP_ROWS}`);
        this.loaded = { id, name: p.summary.name, unit: p.summary.sampleTypes[type]?.unit ?? '', lines: lineSelf(p, type), top };
      } catch (err) {
        this.ctx.log.warn(`Profile hints for ${id}: ${(err as Error).message}`);
        this.loaded = undefined;
      }
    }
    this.decorateAll();
    this.changed.fire();
  }

  decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.decorate(editor);
  }

  private decorate(editor: vscode.TextEditor): void {
    const lines = this.loaded && this.linesFor(editor.document.uri.fsPath);
    const levels: vscode.DecorationOptions[][] = this.heat.map(() => []);
    const hints: vscode.DecorationOptions[] = [];
    if (lines && this.loaded) {
      const { total } = this.loaded.lines;
      const max = Math.max(...lines.values());
      for (const [line, self] of lines) {
        if (line > editor.document.lineCount) continue;
        const range = new vscode.Range(line - 1, 0, line - 1, 0);
        const level = Math.min(HEAT_LEVELS - 1, Math.floor((self / max) * HEAT_LEVELS));
        levels[level].push({ range });
        hints.push({
          range: new vscode.Range(line - 1, Number.MAX_SAFE_INTEGER, line - 1, Number.MAX_SAFE_INTEGER),
          renderOptions: { after: { contentText: `🔥 ${share(self, total)} self · ${value(self, this.loaded.unit)}` } },
          hoverMessage: `Loupe: ${value(self, this.loaded.unit)} (${share(self, total)}) of ${this.loaded.name} ran on this line itself.`,
        });
      }
    }
    this.heat.forEach((type, i) => editor.setDecorations(type, levels[i]));
    editor.setDecorations(this.hint, hints);
  }

  private linesFor(docPath: string): Map<number, number> | undefined {
    for (const [file, lines] of this.loaded!.lines.byFile) if (matches(file, docPath, this.ctx)) return lines;
    return undefined;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const loaded = this.loaded;
    if (!loaded || !this.ctx.settings.codeLens) return [];
    const mine = loaded.top.filter((t) => t.file && (t.self > 0 || t.total > 0) && matches(t.file, doc.uri.fsPath, this.ctx));
    if (!mine.length) return [];
    const symbols = await documentSymbols(doc.uri);
    const text = doc.getText();
    const lenses: vscode.CodeLens[] = [];
    const used = new Set<number>();
    for (const t of mine) {
      const line = findFunctionLine({ function: t.function, line: t.line || undefined }, symbols, text);
      if (line === undefined || used.has(line)) continue;
      used.add(line);
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: `$(flame) self ${value(t.self, loaded.unit)} (${pct(t.selfShare)}) · total ${value(t.total, loaded.unit)} (${pct(t.totalShare)})`,
        tooltip: `Loupe: ${t.function} in ${loaded.name}. Click to open the profile.`,
        command: Command.showProfile,
        arguments: [loaded.id],
      }));
    }
    return lenses;
  }

  dispose(): void {
    for (const d of [...this.heat, this.hint, this.changed]) d.dispose();
  }
}

function matches(profilePath: string, docPath: string, ctx: LoupeContext): boolean {
  const mapped = mapPath(profilePath, ctx.settings.pathMappings);
  return mapped === docPath || matchByTail(mapped, [docPath]) === docPath;
}

function share(part: number, whole: number): string {
  return whole > 0 ? pct(part / whole) : '—';
}

function pct(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
}

function value(v: number, unit: string): string {
  const u = unit.toLowerCase();
  const ns = u === 'nanoseconds' ? v : u === 'microseconds' ? v * 1e3 : u === 'milliseconds' ? v * 1e6 : u === 'seconds' ? v * 1e9 : undefined;
  if (ns !== undefined) return ns >= 1e9 ? `${(ns / 1e9).toFixed(2)} s` : ns >= 1e6 ? `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 1)} ms` : `${(ns / 1e3).toFixed(0)} µs`;
  if (u === 'bytes') return v >= 1048576 ? `${(v / 1048576).toFixed(1)} MB` : v >= 1024 ? `${(v / 1024).toFixed(1)} KB` : `${Math.round(v)} B`;
  return `${Math.round(v).toLocaleString('en-US')}${u && u !== 'count' ? ` ${u}` : ''}`;
}

export function registerProfileHints(ctx: LoupeContext): vscode.Disposable {
  const hints = new ProfileHints(ctx);
  return vscode.Disposable.from(
    hints,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, hints),
    ctx.activeProfile.onDidChange((id) => void hints.load(id)),
    vscode.window.onDidChangeVisibleTextEditors(() => hints.decorateAll()),
  );
}
