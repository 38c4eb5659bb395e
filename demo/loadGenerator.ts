// Traffic for the user service, so that there is something to look at: a few requests
// a second to 127.0.0.1 only, mostly for popular users, some for users that do not
// exist, the corrupt one, and the odd malformed id.

import { CORRUPT_USER_ID, USER_COUNT } from './users/userDatabase.ts';

/**
 * The first requests show every kind of trace within seconds of starting: a cache
 * miss, a hit, a failure, a 404 and a 400. Random traffic follows.
 */
const OPENING = ['1', '1', String(CORRUPT_USER_ID), '4040', '2', 'me'];

export interface LoadGenerator {
  /** Stops sending and waits for the requests still in flight. */
  stop(): Promise<void>;
}

export function startLoad(userServiceUrl: string, requestsPerSecond: number): LoadGenerator {
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;

  const send = () => {
    const id = OPENING[sent] ?? randomUserId();
    sent++;
    const done = fetch(`${userServiceUrl}/users/${id}`, { headers: { 'user-agent': 'loupe-demo-load/1.0' } })
      .then((res) => res.arrayBuffer())
      .then(
        () => undefined,
        (err: Error) => console.error(`load generator: GET /users/${id} failed: ${err.message}`),
      )
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
    timer = setTimeout(send, nextDelayMs(requestsPerSecond));
  };
  send();

  return {
    async stop() {
      clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}

/** Poisson arrivals: evenly spaced requests would look like no real traffic. */
function nextDelayMs(requestsPerSecond: number): number {
  return (-Math.log(1 - Math.random()) / requestsPerSecond) * 1000;
}

/** Zipf-like popularity over the known users, plus unknown and malformed ids. */
function randomUserId(): string {
  const r = Math.random();
  if (r < 0.05) return String(USER_COUNT + 1 + Math.floor(Math.random() * 5000));
  if (r < 0.07) return ['abc', '-1', '0', '7.5'][Math.floor(Math.random() * 4)]!;
  if (r < 0.09) return String(CORRUPT_USER_ID);
  return String(Math.max(1, Math.min(USER_COUNT, Math.floor(Math.pow(USER_COUNT + 1, Math.random())))));
}
