// An in-process cache of users with a short time-to-live, so that popular users are
// served fast and the rest still reach the database now and then.

import type { Tracer } from '@opentelemetry/api';
import { inSpan } from '../instrumentation/spans.ts';
import type { User } from './userDatabase.ts';

const TTL_MS = 5000;

export class UserCache {
  private readonly entries = new Map<number, { user: User; expires: number }>();

  constructor(private readonly tracer: Tracer) {}

  get(id: number): Promise<User | undefined> {
    return inSpan(this.tracer, 'UserCache.get', { attributes: { 'user.id': id } }, async (span) => {
      const entry = this.entries.get(id);
      const hit = entry !== undefined && entry.expires > Date.now();
      span.setAttribute('cache.hit', hit);
      return hit ? entry.user : undefined;
    });
  }

  set(user: User): void {
    this.entries.set(user.id, { user, expires: Date.now() + TTL_MS });
  }
}
