// Outgoing HTTP with hand-written instrumentation: a CLIENT span per call, and the
// W3C `traceparent` header that makes the callee's SERVER span its child.

import { Agent, request } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { callSiteAttributes } from './callSite.ts';
import { recordFailure } from './spans.ts';

export interface JsonResponse {
  status: number;
  body: unknown;
}

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(
    private readonly tracer: Tracer,
    private readonly timeoutMs: number,
  ) {}

  getJson(url: string): Promise<JsonResponse> {
    const target = new URL(url);
    const span = this.tracer.startSpan('GET', {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'GET',
        'url.full': target.href,
        'server.address': target.hostname,
        'server.port': Number(target.port),
        ...callSiteAttributes(),
      },
    });
    const headers: Record<string, string> = { accept: 'application/json' };
    propagation.inject(trace.setSpan(context.active(), span), headers);
    return new Promise<JsonResponse>((resolve, reject) => {
      const req = request(target, { agent: this.agent, headers, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          span.setAttribute('http.response.status_code', status);
          // Client spans fail on 4xx too: the caller did not get what it asked for.
          if (status >= 400) {
            span.setAttribute('error.type', String(status));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
          resolve({ status, body: parseJson(Buffer.concat(chunks).toString('utf8')) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${target.href} timed out after ${this.timeoutMs} ms`)));
      req.on('error', (err) => {
        recordFailure(span, err);
        span.end();
        reject(err);
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
