// Sends to an OTLP/HTTP upstream: POST <endpoint>/v1/<signal> with the bytes as they
// arrived and the content type they arrived with (application/x-protobuf or
// application/json: OTLP/HTTP receivers take both, so nothing is re-encoded).

import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Encoding, Signal } from '../ingest/ingest.ts';
import type { ForwardOptions } from './forwardOptions.ts';
import { readPartialSuccess } from './partialSuccess.ts';
import { retryAfterMs, SEND_TIMEOUT_MS, type SendOutcome, type Upstream } from './upstream.ts';

const gzip = promisify(gzipCallback);

export const SIGNAL_PATH: Record<Signal, string> = {
  traces: '/v1/traces',
  logs: '/v1/logs',
  metrics: '/v1/metrics',
  profiles: '/v1development/profiles',
};

const MEDIA_TYPE: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

// The spec's retryable statuses; every other failure is permanent.
const RETRYABLE = new Set([429, 502, 503, 504]);

// An answer body is only read for partial_success and error text.
const MAX_ANSWER_BYTES = 64 * 1024;

export class HttpUpstream implements Upstream {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(private readonly options: ForwardOptions) {
    this.base = new URL(options.endpoint);
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 8 });
  }

  async send(signal: Signal, body: Buffer, encoding: Encoding): Promise<SendOutcome> {
    const payload = this.options.gzip ? await gzip(body) : body;
    const url = new URL(this.base.pathname.replace(/\/$/, '') + SIGNAL_PATH[signal], this.base);
    const request = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<SendOutcome>((resolve) => {
      const req = request(url, {
        method: 'POST',
        agent: this.agent,
        timeout: SEND_TIMEOUT_MS,
        headers: {
          ...this.options.headers,
          'content-type': MEDIA_TYPE[encoding],
          'content-length': payload.length,
          ...(this.options.gzip ? { 'content-encoding': 'gzip' } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('error', (err) => resolve({ kind: 'retry', error: `${url.href}: ${err.message}` }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const answer = Buffer.concat(chunks);
          if (status >= 200 && status < 300) {
            const answerEncoding: Encoding = /json/i.test(res.headers['content-type'] ?? '') ? 'json' : 'protobuf';
            resolve({ kind: 'ok', ...readPartialSuccess(answer, answerEncoding) });
            return;
          }
          const error = `${url.href} answered ${status}${describeAnswer(answer)}`;
          if (RETRYABLE.has(status)) resolve({ kind: 'retry', error, afterMs: retryAfterMs(res.headers['retry-after']) });
          else resolve({ kind: 'fail', error });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) => resolve({ kind: 'retry', error: `${url.href}: ${err.message}` }));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The upstream's error text, JSON Status message or plain text, shortened. */
function describeAnswer(answer: Buffer): string {
  if (answer.length === 0) return '';
  const text = answer.toString('utf8');
  try {
    const message = (JSON.parse(text) as { message?: unknown; error?: unknown }).message ?? (JSON.parse(text) as { error?: unknown }).error;
    if (typeof message === 'string' && message) return `: ${message.slice(0, 300)}`;
  } catch {
    // not JSON: plain text, or a protobuf Status whose readable part is its message
  }
  // eslint-disable-next-line no-control-regex
  const readable = text.replace(/[\u0000-\u001f\ufffd]+/g, ' ').trim();
  return readable ? `: ${readable.slice(0, 300)}` : '';
}
