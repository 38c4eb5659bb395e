// Who answers on the configured port: a Loupe engine (attach to it), nobody (start
// one), something else (tell the user), or something that accepts and never answers.

import { get } from 'node:http';
import type { StatusResponse } from '../../protocol/api.ts';

export type ProbeResult =
  | { kind: 'loupe'; status: StatusResponse }
  | { kind: 'free' }
  | { kind: 'other'; detail: string }
  | { kind: 'no-answer' };

export function probeEngine(baseUrl: string, timeoutMs = 1500): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = get(`${baseUrl}/api/status`, { timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // A status answer is small; a large body is someone else's page.
        if (size > 1 << 20) req.destroy(new Error('answer too large for a Loupe status'));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve(classify(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', (err) => resolve({ kind: 'other', detail: err.message }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ kind: 'no-answer' });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve({ kind: 'free' });
      else resolve({ kind: 'other', detail: err.code ?? err.message });
    });
  });
}

function classify(statusCode: number, body: string): ProbeResult {
  if (statusCode === 200) {
    try {
      const status = JSON.parse(body) as StatusResponse;
      if (status && status.name === 'loupe') return { kind: 'loupe', status };
    } catch {
      // not JSON: not Loupe
    }
  }
  return { kind: 'other', detail: `it answered GET /api/status with HTTP ${statusCode}` };
}
