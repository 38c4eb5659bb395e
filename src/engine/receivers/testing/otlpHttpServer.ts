// Test harness: the OTLP/HTTP handler on a real http.Server on a free port, with a
// fake ingest, an observer that keeps its reports, and a small client.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createOtlpHttpHandler } from '../otlpHttp.ts';
import type { RequestReport } from '../observer.ts';
import { FakeIngest } from './fakeIngest.ts';

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** A Readable is sent chunked unless a Content-Length header is given. */
  body?: Buffer | string | Readable;
}

export interface OtlpHttpTestServer {
  port: number;
  url: string;
  ingest: FakeIngest;
  reports: RequestReport[];
  send(path: string, options?: SendOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startOtlpHttpTestServer(maxBodyBytes: number): Promise<OtlpHttpTestServer> {
  const ingest = new FakeIngest();
  const reports: RequestReport[] = [];
  const handle = createOtlpHttpHandler(ingest, { maxBodyBytes }, { onRequest: (report) => reports.push(report) });
  const server = http.createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not an OTLP path');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // One keep-alive socket, so later requests ride on the connection an earlier bad one used.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    ingest,
    reports,
    send: (path, options = {}) => send(port, agent, path, options),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(port: number, agent: http.Agent, path: string, options: SendOptions): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, agent, method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before a streamed body is finished; the answer is what counts.
    req.on('error', (err) => reject(err));
    const body = options.body;
    if (body instanceof Readable) {
      body.on('error', () => req.destroy());
      body.pipe(req);
    } else req.end(body);
  });
}
