// The Endpoint view's Forwarding row: where what is received goes on to, how much waits,
// and the last thing that went wrong.

import type { ForwardStatus } from '../../protocol/forward.ts';
import { formatBytes, formatCount } from '../views/format.ts';

export interface ForwardRow {
  label: string;
  description: string;
  icon: string;
  tooltip: string;
}

const STATE_TEXT: Record<ForwardStatus['state'], string> = {
  off: 'off',
  idle: 'up to date',
  sending: 'sending',
  'backing-off': 'upstream failing, retrying',
};

export function forwardRow(f: ForwardStatus | undefined, now = Date.now()): ForwardRow {
  if (!f || f.state === 'off') {
    return { label: 'Forwarding', description: 'off', icon: 'cloud-upload', tooltip: 'Set loupe.forward.endpoint to also send everything received to your team\'s OTLP endpoint (a Collector, Jaeger, Tempo, a vendor).' };
  }
  const { items, queue } = f;
  const parts = [STATE_TEXT[f.state], `${formatCount(items.forwarded)} sent`];
  if (queue.items) parts.push(`${formatCount(queue.items)} queued`);
  if (items.dropped) parts.push(`${formatCount(items.dropped)} dropped`);
  const lines = [
    `Forwarding to ${f.endpoint} over OTLP/${f.protocol === 'grpc' ? 'gRPC' : 'HTTP'}${f.gzip ? ' with gzip' : ''}${f.headerNames.length ? `, headers ${f.headerNames.join(', ')}` : ''}.`,
    `Items forwarded ${formatCount(items.forwarded)}, retried ${formatCount(items.retried)}, dropped ${formatCount(items.dropped)}, refused by the upstream ${formatCount(items.rejectedUpstream)}.`,
    `Queue: ${formatCount(queue.requests)} requests, ${formatBytes(queue.bytes)} of ${formatBytes(queue.maxBytes)} (the oldest are dropped past it).`,
  ];
  if (f.retryAt) lines.push(`Next try in ${Math.max(0, Math.round((Date.parse(f.retryAt) - now) / 1000))} s.`);
  if (f.lastError) lines.push(`Last problem (${f.lastError.at}): ${f.lastError.message}`);
  if (f.lastSuccessAt) lines.push(`Last delivered ${f.lastSuccessAt}.`);
  const troubled = f.state === 'backing-off' || items.dropped > 0;
  return { label: 'Forwarding', description: `${hostOf(f.endpoint)} · ${parts.join(' · ')}`, icon: troubled ? 'warning' : 'cloud-upload', tooltip: lines.join('\n') };
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
