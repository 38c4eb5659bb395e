// The profile service: a second service, with its own service.name, that the user
// service calls over HTTP. Its spans join the caller's trace through `traceparent`.

import { SpanKind } from '@opentelemetry/api';
import { serveHttp, Routes, type RunningServer } from '../instrumentation/httpServer.ts';
import { ServiceLog } from '../instrumentation/log.ts';
import { HttpMetrics } from '../instrumentation/prometheus.ts';
import { inSpan } from '../instrumentation/spans.ts';
import type { ServiceTelemetry } from '../instrumentation/telemetry.ts';
import { between, chance, latencyMs, sleep } from '../simulation.ts';

export interface Profile {
  userId: number;
  avatarUrl: string;
  followers: number;
  badges: string[];
}

/** `slow` (DEMO_SLOW): badges are computed without their cache, a few times slower. */
export async function startProfileService(telemetry: ServiceTelemetry, port: number, slow = false): Promise<RunningServer> {
  const { tracer } = telemetry;
  const log = new ServiceLog(telemetry.service, telemetry.logger);
  const routes = new Routes();

  routes.get('/profiles/:id', async ({ params, span }) => {
    const userId = Number(params.id);
    span.setAttribute('user.id', userId);
    // Shedding load, as an overloaded backend does: the caller must cope without us.
    if (chance(0.03)) {
      log.warn('profile store overloaded, shedding request', { 'user.id': userId });
      return { status: 503, body: { error: 'profile store overloaded' } };
    }
    const followers = await inSpan(tracer, 'SELECT profiles', { kind: SpanKind.CLIENT, attributes: profileQueryAttributes() }, async () => {
      await sleep(latencyMs(6));
      return (userId * 7919) % 5000;
    });
    const badges = await inSpan(tracer, 'computeBadges', { attributes: { 'profile.followers': followers } }, async () => {
      // Users with many followers have a long history to scan: the slow part of this service.
      await sleep(followers > 4500 && chance(0.5) ? between(200, 600) : latencyMs(slow ? 14 : 2));
      return followers > 1000 ? ['popular'] : [];
    });
    const profile: Profile = { userId, avatarUrl: `https://avatars.example.com/${userId}.png`, followers, badges };
    log.info('profile served', { 'user.id': userId, 'profile.followers': followers });
    return { status: 200, body: profile };
  });

  return serveHttp(telemetry, routes, new HttpMetrics(telemetry.service), log, port);
}

function profileQueryAttributes() {
  return {
    'db.system.name': 'postgresql',
    'db.namespace': 'profiles',
    'db.collection.name': 'profiles',
    'db.operation.name': 'SELECT',
    'db.query.text': 'SELECT followers, badges FROM profiles WHERE user_id = $1',
    'server.address': 'profiles-db.internal',
    'server.port': 5432,
  };
}
