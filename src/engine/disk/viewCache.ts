// Segment views recently read, kept for the next query (a user paging through older
// traces reads the same segments again), within a memory bound, least recently used out.

import type { SegmentView } from './segmentView.ts';

const CACHE_BYTES = 96 * 1024 * 1024;

export class ViewCache {
  private readonly views = new Map<string, SegmentView>();

  constructor(private readonly maxBytes = CACHE_BYTES) {}

  get(key: string, build: () => SegmentView): SegmentView {
    let view = this.views.get(key);
    if (view) {
      this.views.delete(key);
    } else {
      view = build();
    }
    this.views.set(key, view);
    let bytes = 0;
    for (const v of this.views.values()) bytes += v.memoryBytes;
    for (const [k, v] of this.views) {
      if (bytes <= this.maxBytes || v === view) break;
      this.views.delete(k);
      bytes -= v.memoryBytes;
    }
    return view;
  }

  clear(): void {
    this.views.clear();
  }
}
