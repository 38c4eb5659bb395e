// Live or paused: while paused, views keep what they show and only count what arrived.

import { Listeners } from '../transport/transport.ts';

export class LiveState {
  private paused = false;
  private readonly listeners = new Listeners<boolean>();

  get isLive(): boolean {
    return !this.paused;
  }

  set(live: boolean): void {
    if (live === !this.paused) return;
    this.paused = !live;
    this.listeners.emit(live);
  }

  onChange(listener: (live: boolean) => void): () => void {
    return this.listeners.add(listener);
  }
}
