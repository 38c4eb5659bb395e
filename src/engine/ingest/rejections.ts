// The partial_success of an export: how many items were rejected, and why (the first
// few distinct reasons, with their counts).

import type { ExportResult } from './ingest.ts';

/** Counts rejected items and keeps the first few reasons for the partial-success message. */
export class Rejections {
  count = 0;
  private readonly reasons = new Map<string, number>();

  add(reason: string, items = 1): void {
    this.count += items;
    if (this.reasons.size < 5 || this.reasons.has(reason)) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + items);
  }

  result(items: string): ExportResult {
    if (this.count === 0) return { rejected: 0 };
    const parts = [...this.reasons].map(([reason, n]) => `${n} × ${reason}`);
    return { rejected: this.count, message: `${this.count} ${items} rejected: ${parts.join('; ')}` };
  }
}
