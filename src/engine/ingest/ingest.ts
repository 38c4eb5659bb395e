// The one ingest path per signal that both transports (OTLP/HTTP and OTLP/gRPC) call.
// Transports only move bytes; decoding, validation and storing happen behind this.

export type Signal = 'traces' | 'logs' | 'metrics' | 'profiles';
export type Encoding = 'protobuf' | 'json';
export type Transport = 'http' | 'grpc';

/** What an export kept. `rejected` > 0 means a partial success, explained by `message`. */
export interface ExportResult {
  rejected: number;
  message?: string;
}

export interface Ingest {
  /**
   * Decodes `body` (already decompressed) and stores what it holds.
   * Throws DecodeError (from otlp/protobuf/wire.ts) when the request as a whole cannot
   * be decoded: nothing of it is stored then. Items that decode but are invalid (an id
   * of the wrong length, say) are rejected one by one and counted in the result.
   */
  export(signal: Signal, body: Buffer, encoding: Encoding, transport: Transport): ExportResult;
}
