// A small JSON request body (settings the extension sends), read with a size limit.

import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  override name = 'BodyError';
  constructor(readonly status: 400 | 413, message: string) {
    super(message);
  }
}

export async function readJsonBody(req: IncomingMessage, maxBytes: number, example: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyError(413, `the body is over ${Math.round(maxBytes / 1048576)} MB`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new BodyError(400, `body: not JSON (${(err as Error).message}); expected ${example}`);
  }
}
