// The engine's live change stream (`GET /api/events`). Holding it open is also how a
// window tells an engine it started that it is still in use (see src/engine/idleExit.ts).

import { get, type ClientRequest } from 'node:http';
import type { ChangeEvent } from '../../protocol/api.ts';

export interface EventStream {
  close(): void;
}

/** `onEnd` is called once, when the stream ends for any reason other than `close()`. */
export function openEventStream(baseUrl: string, onChange: (event: ChangeEvent) => void, onEnd: (why: string) => void): EventStream {
  let closed = false;
  const end = (why: string) => {
    if (closed) return;
    closed = true;
    onEnd(why);
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
        const change = parseChange(message);
        if (change) onChange(change);
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

export function parseChange(message: string): ChangeEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of message.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (event !== 'change' || !data.length) return undefined;
  try {
    return JSON.parse(data.join('\n')) as ChangeEvent;
  } catch {
    return undefined;
  }
}
