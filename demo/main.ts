// `npm run demo`: two instrumented services and the traffic between them, sending
// traces, logs and metrics to Loupe. Runs until Ctrl+C, or DEMO_SECONDS.
// Messages for people go to stderr; stdout carries only the services' JSON logs.

import { readConfig } from './config.ts';
import { describeEndpoint } from './endpointCheck.ts';
import { recordRuntimeMetrics } from './instrumentation/runtimeMetrics.ts';
import { registerContextPropagation, startServiceTelemetry } from './instrumentation/telemetry.ts';
import { startLoad } from './loadGenerator.ts';
import { seedSimulation } from './simulation.ts';
import { startProfileService } from './profiles/profileService.ts';
import { startUserService } from './users/userService.ts';

async function main(): Promise<void> {
  const config = readConfig();
  if (config.seed !== undefined) seedSimulation(config.seed);
  registerContextPropagation();
  const userTelemetry = startServiceTelemetry({ name: 'user-service', version: '1.4.0' }, config.otlpEndpoint);
  const profileTelemetry = startServiceTelemetry({ name: 'profile-service', version: '0.9.2' }, config.otlpEndpoint);

  const stopRuntimeMetrics = [recordRuntimeMetrics(userTelemetry.meter), recordRuntimeMetrics(profileTelemetry.meter)];
  const profiles = await startProfileService(profileTelemetry, config.profilePort, config.slow);
  const users = await startUserService(userTelemetry, { port: config.userPort, profileServiceUrl: profiles.url, slow: config.slow });
  say(`user-service    ${users.url}  (GET /users/:id, Prometheus at ${users.url}/metrics)`);
  say(`profile-service ${profiles.url}  (GET /profiles/:id, Prometheus at ${profiles.url}/metrics)`);
  say(await describeEndpoint(config.otlpEndpoint));
  if (config.slow) say('DEMO_SLOW: slower database queries and badge computation, more failures (compare it in Golden Signals)');
  say(`calling the user service about ${config.requestsPerSecond} times a second; ${config.runSeconds ? `stopping after ${config.runSeconds} s` : 'Ctrl+C stops'}`);

  const load = startLoad(users.url, config.requestsPerSecond);
  await stopRequested(config.runSeconds);
  say('stopping: finishing requests and sending what is buffered…');
  await load.stop();
  await users.close();
  await profiles.close();
  for (const stop of stopRuntimeMetrics) stop();
  const unsent = await withinMs(FLUSH_TIMEOUT_MS, Promise.all([userTelemetry.shutdown(), profileTelemetry.shutdown()]));
  if (!unsent) say(`gave up sending the last telemetry after ${FLUSH_TIMEOUT_MS / 1000} s`);
  for (const failure of unsent?.flat() ?? []) say(`could not send the last telemetry: ${failure}`);
}

/** The exporters retry an unreachable endpoint; stopping should not wait for that long. */
const FLUSH_TIMEOUT_MS = 5000;

function withinMs<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void work.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function stopRequested(runSeconds: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      // A second Ctrl+C does not wait for the flush.
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (runSeconds) setTimeout(stop, runSeconds * 1000).unref();
  });
}

function say(message: string): void {
  process.stderr.write(`[demo] ${message}\n`);
}

main().then(
  // Exporters still retrying an unreachable endpoint would keep the process alive.
  () => process.exit(0),
  (err: unknown) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
