// Ingest throughput with forwarding on, beside the same engine without it: the engine
// forwards every request to a null receiver in its own process (over OTLP/HTTP, then
// OTLP/gRPC), and to a dead port, where its queue must hold memory to its bound.

import type { StatusResponse } from '../src/protocol/api.ts';
import { startEngineProcess } from './support/engineProcess.ts';

interface LoadResult { requests: number; failed: number; spans: number; seconds: number }
type Load = (transport: 'http' | 'grpc', target: string, encoding: 'protobuf' | 'json') => Promise<LoadResult>;
type NullReceivers = () => Promise<{ httpUrl: string; grpcAddress: string; stop(): void }>;

const MIB = 1048576;
const BUDGET = ['--memory-budget-mb', '256'];

export async function forwardRows(load: Load, nullReceivers: NullReceivers): Promise<string[]> {
  const upstream = await nullReceivers();
  const rows = [
    '', '| ingest with forwarding (OTLP/HTTP protobuf in, 256 MiB budget) | spans/s | vs no forwarding | forwarded | dropped | queue peak | peak RSS |', '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const setups: [string, string[]][] = [
    ['no forwarding', []],
    ['forwarding over OTLP/HTTP to a null receiver', ['--forward', upstream.httpUrl]],
    ['forwarding over OTLP/gRPC to a null receiver', ['--forward', `http://${upstream.grpcAddress}`, '--forward-protocol', 'grpc']],
    ['forwarding to a dead port (32 MiB queue)', ['--forward', 'http://127.0.0.1:9', '--forward-queue-mb', '32']],
  ];
  let baseline = 0;
  try {
    for (const [name, flags] of setups) {
      const engine = await startEngineProcess([...BUDGET, ...flags]);
      try {
        let queuePeak = 0;
        const poll = setInterval(() => {
          void fetch(`${engine.httpUrl}/api/forward`).then((r) => r.json()).then((f) => { queuePeak = Math.max(queuePeak, (f as { queue: { bytes: number } }).queue.bytes); }, () => {});
        }, 250);
        const r = await load('http', `${engine.httpUrl}/v1/traces`, 'protobuf');
        clearInterval(poll);
        // Let the queue empty before reading what was forwarded.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const s = (await (await fetch(`${engine.httpUrl}/api/status`)).json()) as StatusResponse;
        const rate = r.spans / r.seconds;
        if (!flags.length) baseline = rate;
        const f = s.forward;
        const on = f && f.state !== 'off';
        rows.push(`| ${name} | ${fmt(rate)} | ${baseline ? (rate / baseline).toFixed(2) : '1.00'} | ${on ? fmt(f.items.forwarded) : '—'} | ${on ? fmt(f.items.dropped) : '—'} | ${on ? `${(queuePeak / MIB).toFixed(1)} MiB` : '—'} | ${(engine.peakRss() / MIB).toFixed(0)} MiB |`);
        console.error(`  ${name}: ${fmt(rate)} spans/s${on ? `; forwarded ${fmt(f.items.forwarded)}, retried ${fmt(f.items.retried)}, dropped ${fmt(f.items.dropped)}` : ''}`);
      } finally {
        await engine.stop();
      }
    }
  } finally {
    upstream.stop();
  }
  return rows;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
