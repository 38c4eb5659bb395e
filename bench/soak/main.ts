// `npm run soak`: the engine as `npm start` runs it, in its own process with a small
// memory budget so that it evicts all the time, under spans, logs and metrics from three
// client processes at once (OTLP/HTTP protobuf, OTLP/HTTP JSON with gzip, OTLP/gRPC)
// over loopback, while the UI's API is asked what the views ask. At the end it checks,
// per signal, that what the clients had acknowledged equals what the engine stored,
// evicted and rejected, exactly, and that the engine's RSS (read from /proc) stayed
// within budget + 128 MiB; it exits non-zero when either fails.
// Options: --seconds N (default 300), --wide (1,000 spans/s of wide and large
// attributes instead of 10,000 ordinary ones), --budget-mb M (default 64).

import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';
import { readEngineCounts } from './engineCounts.ts';
import type { Signal } from './payloads.ts';
import type { ClientPlan, ClientReport, Protocol } from './plan.ts';
import { printReport } from './report.ts';
import { probeUi } from './uiProbe.ts';

const MIB = 1048576;
const RSS_HEADROOM = 128 * MIB;
/** How long after their deadline the clients get to finish requests in flight and retries. */
const CLIENT_GRACE_S = 60;
/** How long the clients get to make their payloads before the clock starts. */
const PREPARE_S = 180;

interface Options { seconds: number; wide: boolean; budgetMb: number }

// Items per second per client; three clients, one per protocol. JSON costs the engine
// about three times what protobuf does, so it carries less of the load.
const RATES: Record<'ordinary' | 'wide', Record<Protocol, Record<Signal, number>>> = {
  ordinary: {
    'http-protobuf': { traces: 4000, logs: 1000, metrics: 400 },
    'grpc': { traces: 4000, logs: 1000, metrics: 400 },
    'http-json-gzip': { traces: 2000, logs: 1000, metrics: 400 },
  },
  wide: {
    'http-protobuf': { traces: 400, logs: 1000, metrics: 400 },
    'grpc': { traces: 400, logs: 1000, metrics: 400 },
    'http-json-gzip': { traces: 200, logs: 1000, metrics: 400 },
  },
};

function parseOptions(argv: string[]): Options {
  const options: Options = { seconds: 300, wide: false, budgetMb: 64 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = (name: string, min: number, max: number): number => {
      const v = Number(argv[++i]);
      if (!(v >= min && v <= max)) fail(`${name} needs a number from ${min} to ${max}, got "${argv[i] ?? ''}"`);
      return v;
    };
    if (arg === '--seconds') options.seconds = number('--seconds', 5, 3600);
    else if (arg === '--budget-mb') options.budgetMb = number('--budget-mb', 16, 4096);
    else if (arg === '--wide') options.wide = true;
    else fail(`unknown option "${arg}"`);
  }
  return options;
}

function fail(message: string): never {
  console.error(`soak: ${message}\nUsage: npm run soak -- [--seconds N] [--wide] [--budget-mb M]`);
  process.exit(2);
}

interface Client {
  ready: Promise<void>;
  done: Promise<ClientReport>;
  go(): void;
  kill(): void;
}

/** A client process; it makes its payloads, says "ready", and sends once told to go. */
function runClient(plan: ClientPlan): Client {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'client.ts'), JSON.stringify(plan)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (/^ready$/m.test(out)) markReady();
  });
  const done = new Promise<ClientReport>((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ClientReport);
      else reject(new Error(`the ${plan.protocol} client exited with ${code}: ${out.slice(-500)}`));
    });
  });
  // A client that dies while preparing must not leave the soak waiting for it.
  void done.catch(() => markReady());
  return { ready, done, go: () => child.stdin.end('go\n'), kill: () => child.kill('SIGKILL') };
}

async function progress(engine: EngineProcess, started: number, stop: () => boolean): Promise<void> {
  while (!stop()) {
    await new Promise((r) => setTimeout(r, 1000));
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (elapsed % 30 !== 0 || stop()) continue;
    try {
      const c = await readEngineCounts(engine.httpUrl);
      console.log(`  ${elapsed} s: ${c.stored.traces.toLocaleString('en-US')} spans held, ${c.evicted.traces.toLocaleString('en-US')} evicted; RSS ${(engine.rss() / MIB).toFixed(0)} MiB (peak ${(engine.peakRss() / MIB).toFixed(0)}); ${c.refusedRequests} exports refused`);
    } catch {
      // Progress is informative only; the end of the run reads the counts again.
    }
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const mode = options.wide ? 'wide' : 'ordinary';
  const loadBefore = loadavg();
  const engine = await startEngineProcess(['--memory-budget-mb', String(options.budgetMb)]);
  const grpcTarget = engine.grpcAddress;
  console.log(`Soak (${mode}): ${options.seconds} s, memory budget ${options.budgetMb} MiB, engine pid ${engine.pid} on ${engine.httpUrl} and ${grpcTarget}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
  const protocols = Object.keys(RATES[mode]) as Protocol[];
  const clients = protocols.map((protocol, i) => runClient({
    protocol, target: protocol === 'grpc' ? grpcTarget : engine.httpUrl, seconds: options.seconds,
    rates: RATES[mode][protocol], wide: options.wide, firstSend: i * 100_000_000,
  }));
  const prepareTimeout = setTimeout(() => clients.forEach((c) => c.kill()), PREPARE_S * 1000);
  await Promise.all(clients.map((c) => c.ready));
  clearTimeout(prepareTimeout);
  clients.forEach((c) => c.go());
  const started = Date.now();
  let finished = false;
  const hardStop = setTimeout(() => clients.forEach((c) => c.kill()), (options.seconds + CLIENT_GRACE_S) * 1000);
  const all = Promise.allSettled(clients.map((c) => c.done)).finally(() => { finished = true; });
  const [ui, settled] = await Promise.all([
    probeUi(engine.httpUrl, () => finished, (options.seconds + CLIENT_GRACE_S) * 4),
    all,
    progress(engine, started, () => finished),
  ]);
  clearTimeout(hardStop);
  const failedClient = settled.find((s) => s.status === 'rejected');
  if (failedClient) {
    await engine.stop();
    throw (failedClient as PromiseRejectedResult).reason;
  }
  const reports = settled.map((s) => (s as PromiseFulfilledResult<ClientReport>).value);
  // Everything answered has been stored synchronously; the counts are final now.
  const counts = await readEngineCounts(engine.httpUrl);
  const peakRss = engine.peakRss();
  await engine.stop();
  const ok = printReport({
    mode, seconds: options.seconds, budgetBytes: options.budgetMb * MIB, rssBoundBytes: options.budgetMb * MIB + RSS_HEADROOM,
    peakRssBytes: peakRss, reports, counts, ui, loadBefore, loadAfter: loadavg(),
  });
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`soak: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
