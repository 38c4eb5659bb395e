// Reads an OTLP/HTTP request body with the size limit enforced on the wire and again
// after decompression, streaming, so neither an oversized upload nor a gzip bomb is
// ever held in memory beyond the limit.

import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import { ReceiverError } from './errors.ts';

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

const SUPPORTED_CODINGS = 'gzip, deflate or identity';

/** The request's Content-Encoding, or a 415 ReceiverError for one we cannot decode. */
export function contentCoding(header: string | undefined): ContentCoding {
  // A list such as "gzip, identity" means the codings applied in order; identity is a no-op.
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  if (codings.length === 1 && codings[0] === 'deflate') return 'deflate';
  throw new ReceiverError(
    'unsupported-media-type',
    `unsupported Content-Encoding "${header}": send the body as ${SUPPORTED_CODINGS} (one coding at a time)`,
  );
}

/**
 * Fails fast, before reading anything, when the client already says the body is too
 * large; returns the declared length (0 when not given).
 */
export function checkDeclaredLength(header: string | undefined, maxBytes: number): number {
  const declared = header === undefined ? NaN : Number(header);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, `the request says it is ${declared} bytes`);
  return Number.isFinite(declared) && declared > 0 ? declared : 0;
}

/**
 * The decompressed body. Rejects with ReceiverError: 'too-large' as soon as either count
 * passes `maxBytes` (the request is left unread from there on), 'bad-data' when the body
 * is not the coding it claims, 'client-closed' when the client goes away.
 * `declaredBytes` (an uncompressed body's Content-Length): the body is copied into one
 * buffer of that size as it arrives, so a large upload (a 500 MB profile) is held once,
 * not as chunks and again as their concatenation. `into` (that size, e.g. shared with
 * a thread that reads the body as it comes) is that buffer, and `arrived` hears how
 * many bytes of it are in after each chunk.
 */
export function readRequestBody(req: IncomingMessage, coding: ContentCoding, maxBytes: number, declaredBytes = 0, into?: { buffer: Buffer; arrived(bytes: number): void }): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sized = coding === 'identity' && declaredBytes > 0 && declaredBytes <= maxBytes;
    let whole = sized ? (into?.buffer.length === declaredBytes ? into.buffer : Buffer.allocUnsafeSlow(declaredBytes)) : undefined;
    const arrived = whole === into?.buffer ? into?.arrived : undefined;
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;
    const inflater = coding === 'gzip' ? zlib.createGunzip() : coding === 'deflate' ? zlib.createInflate() : undefined;

    const settle = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      req.off('data', onWireData).off('end', onWireEnd).off('close', onClose).off('error', onClose);
      inflater?.destroy();
      if (err) reject(err);
      else resolve(whole ? whole.subarray(0, bodyBytes) : Buffer.concat(chunks, bodyBytes));
    };

    const collect = (chunk: Buffer): void => {
      bodyBytes += chunk.length;
      if (bodyBytes > maxBytes) return settle(tooLarge(maxBytes, 'after decompression'));
      if (whole && bodyBytes <= whole.length) {
        chunk.copy(whole, bodyBytes - chunk.length);
        return arrived?.(bodyBytes);
      }
      // More than declared (Node's parser would not allow it): back to chunks.
      if (whole) chunks.push(whole.subarray(0, bodyBytes - chunk.length));
      whole = undefined;
      chunks.push(chunk);
    };

    function onWireData(chunk: Buffer): void {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) return settle(tooLarge(maxBytes, 'as sent'));
      if (!inflater) return collect(chunk);
      // Backpressure: a small compressed chunk can inflate to megabytes.
      if (!inflater.write(chunk)) {
        req.pause();
        inflater.once('drain', () => {
          if (!settled) req.resume();
        });
      }
    }
    function onWireEnd(): void {
      if (inflater) inflater.end();
      else settle(undefined);
    }
    function onClose(): void {
      if (!req.complete) settle(new ReceiverError('client-closed', 'the client closed the connection before sending the whole body'));
    }

    if (inflater) {
      inflater.on('data', (chunk: Buffer) => {
        if (!settled) collect(chunk);
      });
      inflater.on('end', () => settle(undefined));
      inflater.on('error', (err) => {
        settle(new ReceiverError('bad-data', `the body is not valid ${coding} data as its Content-Encoding says (${err.message})`));
      });
    }
    req.on('data', onWireData).on('end', onWireEnd).on('close', onClose).on('error', onClose);
  });
}

function tooLarge(maxBytes: number, where: string): ReceiverError {
  return new ReceiverError(
    'too-large',
    `the request body is larger than the limit of ${maxBytes} bytes (${where}); ` +
      'send smaller batches (e.g. lower the SDK batch size) or start Loupe with a larger --max-body-mb',
  );
}
