// `npm start`: the engine as a standalone program.

import { tuneHeapGrowth } from './heapTuning.ts';
import { ConfigError, parseConfig, usage } from './config.ts';
import { watchForUnused } from './idleExit.ts';
import { ListenError, startEngine } from './server.ts';
import { DataDirLockedError } from './disk/dataLock.ts';
import { readAlertRulesFile } from './alerts/alertRulesFile.ts';
import { PROCESS_MAX_LAG_MS } from './receivers/admission.ts';

async function main(): Promise<void> {
  tuneHeapGrowth();
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`loupe: ${err.message}\n\n${usage}`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    console.log(usage);
    return;
  }
  let alertRules: unknown;
  if (config.alertRulesFile) {
    try {
      alertRules = readAlertRulesFile(config.alertRulesFile);
    } catch (err) {
      console.error(`loupe: ${(err as Error).message}`);
      process.exit(2);
    }
  }
  let running;
  try {
    // The engine owns this process: a late event loop is its own (see admission.ts).
    running = await startEngine({ ...config, admissionLimits: { maxLagMs: PROCESS_MAX_LAG_MS } });
  } catch (err) {
    if (err instanceof ListenError || err instanceof DataDirLockedError) {
      console.error(`loupe: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  console.log(`Loupe engine listening: OTLP/HTTP and UI on ${running.httpUrl}`);
  console.log(`Loupe engine listening: OTLP/gRPC on ${running.grpcAddress}`);
  if (config.scrapeTargets.length) console.log(`Scraping ${config.scrapeTargets.length} Prometheus target(s) every ${config.scrapeIntervalMs / 1000} s; status at ${running.httpUrl}/api/metrics/targets`);
  const disk = running.engine.disk?.status();
  if (disk) console.log(`Keeping data on disk in ${disk.dir}: ${disk.segments} segment(s), ${Math.round(disk.bytes / 1048576)} MiB of ${Math.round(disk.budgetBytes / 1048576)} MiB, up to ${disk.retentionHours} h${disk.error ? `. ${disk.error}` : ''}${disk.reload?.totalBytes ? `; loading the newest ${Math.round(disk.reload.totalBytes / 1048576)} MiB back into memory in the background` : ''}`);
  if (config.forward) console.log(`Forwarding everything received to ${config.forward.endpoint} over OTLP/${config.forward.protocol === 'grpc' ? 'gRPC' : 'HTTP'}; state at ${running.httpUrl}/api/forward`);
  if (alertRules !== undefined) {
    running.engine.alerts.setRules(alertRules);
    console.log(`Alert rules from ${config.alertRulesFile}; state at ${running.httpUrl}/api/alerts`);
  }
  if (config.apiKey) console.log('OTLP exports must carry the API key in the x-otlp-api-key header (or gRPC metadata).');
  if (config.corsOrigins.length) console.log(`Browser apps on ${config.corsOrigins.join(', ')} may send OTLP/HTTP.`);
  console.log(`Memory budget ${Math.round(config.memoryBudgetBytes / 1048576)} MiB. Send OTLP with OTEL_EXPORTER_OTLP_ENDPOINT=${running.httpUrl}`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  running.engine.stop = () => {
    console.log('Loupe engine: stopping, as a client asked.');
    stop();
  };
  const unusedMs = config.exitWhenUnusedMs;
  if (unusedMs) {
    watchForUnused(running.engine.events, unusedMs, () => {
      console.log(`Loupe engine: no client for ${Math.round(unusedMs / 1000)} s, exiting.`);
      stop();
    });
  }
}

void main();
