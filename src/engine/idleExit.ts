// An engine started for editor windows stops on its own once no window uses it. Every
// window keeps an `/api/events` stream open while attached, so the stream count is the
// heartbeat: no stream for `unusedMs` means the last window has gone.

export interface ClientCount {
  readonly clientCount: number;
}

/** Calls `onUnused` once, after no client has been attached for `unusedMs`; returns a stop function. */
export function watchForUnused(clients: ClientCount, unusedMs: number, onUnused: () => void, now: () => number = Date.now): () => void {
  // Counted from start too, so the window that started the engine has time to attach.
  let lastUsed = now();
  // `stopped` as well as clearInterval: "once" must not rest on a tick never being queued twice.
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
  };
  const timer = setInterval(() => {
    if (stopped) return;
    if (clients.clientCount > 0) lastUsed = now();
    else if (now() - lastUsed >= unusedMs) {
      stop();
      onUnused();
    }
  }, Math.max(10, Math.min(1000, unusedMs / 4)));
  timer.unref();
  return stop;
}
