// Settings that live in the engine (scrape targets, forwarding, alert rules) are sent
// each time an engine comes up: a restarted or newly shared engine starts without them.

import type { LoupeContext } from '../context.ts';

/** Calls `send` once for each engine that starts running; returns the unsubscribe. */
export function onEachEngine(ctx: LoupeContext, send: () => void): () => void {
  let sentTo = '';
  return ctx.collector.onState((state) => {
    if (state.kind !== 'running') {
      sentTo = '';
      return;
    }
    if (sentTo === state.httpUrl) return;
    sentTo = state.httpUrl;
    send();
  });
}
