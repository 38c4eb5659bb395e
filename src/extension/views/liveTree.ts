// What the side panel's trees share: each re-reads the engine whenever Loupe's data
// changes (a live event, an action of this window, the collector starting or stopping).

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';

export abstract class LiveTree<T> implements vscode.TreeDataProvider<T> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(protected readonly ctx: LoupeContext) {}

  /** Re-reads the tree now (e.g. a watched file appeared). */
  refresh(): void {
    this.changed.fire();
  }

  abstract getChildren(node?: T): Promise<T[]>;
  abstract getTreeItem(node: T): vscode.TreeItem;

  /** Shows `tree` in the view `viewId` and keeps it current. */
  static register<T>(ctx: LoupeContext, viewId: string, tree: LiveTree<T>, options: Omit<vscode.TreeViewOptions<T>, 'treeDataProvider'> = {}): vscode.Disposable {
    const view = vscode.window.createTreeView(viewId, { ...options, treeDataProvider: tree });
    return vscode.Disposable.from(view, tree.changed, ctx.onDidChangeData(() => tree.changed.fire()));
  }
}
