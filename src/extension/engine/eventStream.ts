// The engine's live change stream (`GET /api/events`). Holding it open is also how a
// window tells an engine it started that it is still in use (see src/engine/idleExit.ts).

import { get, type ClientRequest } from 'node:http';
import type { ChangeEvent } from '../../protocol/api.ts';

export interface EventStream {
  close(): void;
}

export interface EventStreamHandlers {
  change(event: ChangeEvent): void;
  /** The engine is stopping because a client asked it to (Stop Collector in some window). */
  shutdown(reason: string): void;
  /** Called once, when the stream ends for any reason other than `close()` or a shutdown. */
  end(why: string): void;
}

export function openEventStream(baseUrl: string, on: EventStreamHandlers): EventStream {
  let closed = false;
  const end = (why: string) => {
    if (closed) return;
    closed = true;
    on.end(why);
  };
  const req: ClientRequest = get(`${baseUrl}/api/events`, { headers: { accept: 'text/event-stream' } }, (res) => {
    if (res.statusCode !== 200) {
      res.resume();
      end(`the event stream answered HTTP ${res.statusCode}`);
      return;
    }
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (text: string) => {
      buffer += text;
      let split: number;
      while ((split = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const event = parseEvent(message);
        if (event?.type === 'change') on.change(event.change);
        else if (event?.type === 'shutdown' && !closed) {
          closed = true;
          on.shutdown(event.reason);
        }
      }
    });
    res.on('end', () => end('the engine closed the event stream'));
    res.on('error', (err) => end(err.message));
  });
  req.on('error', (err) => end(err.message));
  return {
    close() {
      closed = true;
      req.destroy();
    },
  };
}

export type StreamEvent = { type: 'change'; change: ChangeEvent } | { type: 'shutdown'; reason: string };

/** One Server-Sent Events message of the engine; comments, retries and unknown events are undefined. */
export function parseEvent(message: string): StreamEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of message.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (!data.length) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(data.join('\n'));
  } catch {
    return undefined;
  }
  if (event === 'change') return { type: 'change', change: payload as ChangeEvent };
  if (event === 'shutdown') return { type: 'shutdown', reason: String((payload as { reason?: unknown }).reason ?? '') };
  return undefined;
}
