// The one error the compact trace and profile decoders throw for bytes that are not
// what the engine wrote (damaged, truncated, another format): callers catch this, and
// anything else they see is a bug.

export class CompactFormatError extends Error {
  override name = 'CompactFormatError';
}
