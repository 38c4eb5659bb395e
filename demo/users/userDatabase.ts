// The user service's database, simulated: a Postgres-like table of users with query
// latency, an occasional slow query, dropped connections, and one corrupt row.

import { SpanKind, type Tracer } from '@opentelemetry/api';
import { inSpan } from '../instrumentation/spans.ts';
import { between, chance, latencyMs, sleep } from '../simulation.ts';
import type { ConnectionPool } from './connectionPool.ts';

export interface User {
  id: number;
  name: string;
  email: string;
  plan: 'free' | 'pro' | 'team';
}

/** Ids 1 to USER_COUNT exist; the load generator also asks for some that do not. */
export const USER_COUNT = 60;
/** This user's row was written by a buggy migration; reading it always fails. */
export const CORRUPT_USER_ID = 13;

interface UserRow {
  id: number;
  name: string;
  email: string | null;
  plan: string;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

export class UserDatabase {
  /** `slow`: the query lost its index (DEMO_SLOW), so it takes longer (seconds at the tail: p99 more than doubles) and times out more. */
  constructor(private readonly tracer: Tracer, private readonly pool: ConnectionPool, private readonly slow: boolean) {}

  findUser(id: number): Promise<User | undefined> {
    const query = 'SELECT id, name, email, plan FROM users WHERE id = $1';
    return inSpan(this.tracer, 'SELECT users', { kind: SpanKind.CLIENT, attributes: dbAttributes('SELECT', query) }, (span) => this.pool.use(async () => {
      await sleep(this.slow ? (chance(0.12) ? between(1200, 4000) : latencyMs(70)) : chance(0.05) ? between(300, 1500) : latencyMs(12));
      if (chance(this.slow ? 0.07 : 0.02)) throw new DatabaseError('Connection terminated unexpectedly');
      const row = storedRow(id);
      span.setAttribute('db.response.returned_rows', row ? 1 : 0);
      return row && decodeUserRow(row);
    }));
  }
}

function dbAttributes(operation: string, query: string) {
  return {
    'db.system.name': 'postgresql',
    'db.namespace': 'users',
    'db.collection.name': 'users',
    'db.operation.name': operation,
    'db.query.text': query,
    'server.address': 'users-db.internal',
    'server.port': 5432,
  };
}

const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Alan', 'Radia'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Kay', 'Perlman'];
const PLANS = ['free', 'free', 'pro', 'team'];

function storedRow(id: number): UserRow | undefined {
  if (id < 1 || id > USER_COUNT) return undefined;
  const first = FIRST_NAMES[id % FIRST_NAMES.length]!;
  const last = LAST_NAMES[Math.floor(id / FIRST_NAMES.length) % LAST_NAMES.length]!;
  const email = id === CORRUPT_USER_ID ? null : `${first}.${last}${id}@example.com`.toLowerCase();
  return { id, name: `${first} ${last}`, email, plan: PLANS[id % PLANS.length]! };
}

function decodeUserRow(row: UserRow): User {
  if (row.email === null) throw new TypeError(`users row ${row.id}: email is NULL, violating the User contract`);
  if (row.plan !== 'free' && row.plan !== 'pro' && row.plan !== 'team') throw new TypeError(`users row ${row.id}: unknown plan ${row.plan}`);
  return { id: row.id, name: row.name, email: row.email, plan: row.plan };
}
