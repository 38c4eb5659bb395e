// A stand-in for the engine's ingest in receiver tests: it records what arrives and
// answers according to markers at the start of the body.

import type { Encoding, ExportResult, Ingest, Signal, Transport } from '../../ingest/ingest.ts';
import { DecodeError } from '../../otlp/protobuf/wire.ts';

export interface IngestCall {
  signal: Signal;
  body: Buffer;
  encoding: Encoding;
  transport: Transport;
}

/** Body markers: "BAD" → DecodeError, "BOOM" → any other error, "REJECT <n>" → partial success. */
export class FakeIngest implements Ingest {
  readonly calls: IngestCall[] = [];
  /** Answer for bodies without a marker (the real SDK payloads in exporter tests). */
  result: ExportResult = { rejected: 0 };

  export(signal: Signal, body: Buffer, encoding: Encoding, transport: Transport): ExportResult {
    this.calls.push({ signal, body, encoding, transport });
    const text = body.subarray(0, 32).toString('latin1');
    if (text.startsWith('BAD')) throw new DecodeError('unexpected end of message at byte 3');
    if (text.startsWith('BOOM')) throw new Error('store exploded');
    const reject = /^REJECT (\d+)/.exec(text);
    if (reject) return { rejected: Number(reject[1]), message: `${reject[1]} items had invalid ids` };
    return this.result;
  }

  get lastCall(): IngestCall | undefined {
    return this.calls.at(-1);
  }
}
