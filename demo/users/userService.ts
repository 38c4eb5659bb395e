// The user service: `GET /users/:id` checks the cache, falls back to the database,
// and adds the user's profile from the profile service when that answers in time.

import type { Tracer } from '@opentelemetry/api';
import { HttpClient } from '../instrumentation/httpClient.ts';
import { serveHttp, Routes, type RunningServer } from '../instrumentation/httpServer.ts';
import { ServiceLog } from '../instrumentation/log.ts';
import { HttpMetrics } from '../instrumentation/prometheus.ts';
import type { ServiceTelemetry } from '../instrumentation/telemetry.ts';
import { UserCache } from './userCache.ts';
import { ConnectionPool } from './connectionPool.ts';
import { UserDatabase, type User } from './userDatabase.ts';

export interface UserServiceOptions {
  port: number;
  profileServiceUrl: string;
  /** DEMO_SLOW: slower database queries, for compare. */
  slow: boolean;
}

export async function startUserService(telemetry: ServiceTelemetry, options: UserServiceOptions): Promise<RunningServer> {
  const log = new ServiceLog(telemetry.service, telemetry.logger);
  const metrics = new HttpMetrics(telemetry.service);
  const cacheLookups = metrics.counter('user_cache_lookups_total', 'User cache lookups, by result.', ['result']);
  const pool = new ConnectionPool(telemetry.meter, 8, 'users-db');
  const users = new UserDirectory(telemetry.tracer, new UserDatabase(telemetry.tracer, pool, options.slow), (hit) => cacheLookups.inc({ result: hit ? 'hit' : 'miss' }));
  const profiles = new HttpClient(telemetry.tracer, 1000);
  const routes = new Routes();

  routes.get('/users/:id', async ({ params, span }) => {
    const id = Number(params.id);
    if (!Number.isSafeInteger(id) || id < 1) {
      log.warn('rejected malformed user id', { 'user.id.raw': params.id ?? '' });
      return { status: 400, body: { error: `user id must be a positive integer, got "${params.id}"` } };
    }
    span.setAttribute('user.id', id);
    const user = await users.find(id);
    log.debug(`looked up user ${id}: ${user ? 'found' : 'missing'}`, { 'user.id': id });
    if (!user) {
      log.warn('user not found', { 'user.id': id });
      return { status: 404, body: { error: `no user ${id}` } };
    }
    const profile = await fetchProfile(id);
    log.info('user served', { 'user.id': id, 'user.plan': user.plan, 'profile.included': profile !== undefined });
    return { status: 200, body: { ...user, profile } };
  });

  /** The profile is optional: without it the page still renders, so failures degrade. */
  async function fetchProfile(id: number): Promise<unknown> {
    try {
      const response = await profiles.getJson(`${options.profileServiceUrl}/profiles/${id}`);
      if (response.status === 200) return response.body;
      log.warn('profile service answered with an error; serving the user without a profile', { 'user.id': id, 'http.response.status_code': response.status });
    } catch (err) {
      log.warn('profile service unreachable; serving the user without a profile', { 'user.id': id }, err);
    }
    return undefined;
  }

  const server = await serveHttp(telemetry, routes, metrics, log, options.port);
  return {
    url: server.url,
    async close() {
      await server.close();
      profiles.close();
    },
  };
}

/** Cache first, then the database; found users are cached. */
class UserDirectory {
  private readonly cache: UserCache;

  constructor(
    tracer: Tracer,
    private readonly database: UserDatabase,
    private readonly onLookup: (hit: boolean) => void,
  ) {
    this.cache = new UserCache(tracer);
  }

  async find(id: number): Promise<User | undefined> {
    const cached = await this.cache.get(id);
    this.onLookup(cached !== undefined);
    if (cached) return cached;
    const user = await this.database.findUser(id);
    if (user) this.cache.set(user);
    return user;
  }
}
