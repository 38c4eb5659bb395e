// Reads the upstream's Export<Signal>ServiceResponse for its partial_success: how many
// items it refused and why. An empty or unreadable answer counts as full success, as
// the spec tells clients to treat it.

import type { Encoding } from '../ingest/ingest.ts';
import { WireType, WireReader } from '../otlp/protobuf/wire.ts';

export interface PartialSuccess {
  rejected: number;
  message?: string;
}

const NONE: PartialSuccess = { rejected: 0 };

export function readPartialSuccess(body: Buffer, encoding: Encoding): PartialSuccess {
  if (body.length === 0) return NONE;
  try {
    return encoding === 'json' ? fromJson(body) : fromProtobuf(body);
  } catch {
    return NONE;
  }
}

function fromJson(body: Buffer): PartialSuccess {
  const parsed = JSON.parse(body.toString('utf8')) as { partialSuccess?: Record<string, unknown> } | null;
  const partial = parsed?.partialSuccess;
  if (!partial || typeof partial !== 'object') return NONE;
  // rejectedSpans, rejectedLogRecords, rejectedDataPoints or rejectedProfiles: whichever is there.
  const count = Object.entries(partial).find(([key]) => key.startsWith('rejected'))?.[1];
  const rejected = Number(count ?? 0);
  const message = typeof partial.errorMessage === 'string' && partial.errorMessage ? partial.errorMessage : undefined;
  return { rejected: Number.isFinite(rejected) && rejected > 0 ? rejected : 0, message };
}

function fromProtobuf(body: Buffer): PartialSuccess {
  const outer = WireReader.of(body);
  while (!outer.done) {
    const tag = outer.tag();
    if (tag !== ((1 << 3) | WireType.LengthDelimited)) {
      outer.skip(tag & 7);
      continue;
    }
    const length = outer.uint32();
    const r = new WireReader(body, outer.pos, outer.pos + length);
    outer.pos += length;
    const result: PartialSuccess = { rejected: 0 };
    while (!r.done) {
      const t = r.tag();
      if (t === ((1 << 3) | WireType.Varint)) result.rejected = Number(r.uint64String());
      else if (t === ((2 << 3) | WireType.LengthDelimited)) result.message = r.string() || undefined;
      else r.skip(t & 7);
    }
    return result;
  }
  return NONE;
}
