// The optional OTLP API key (`--api-key`): exports must carry it in the
// `x-otlp-api-key` header (HTTP) or metadata entry (gRPC). The comparison hashes both
// sides first so it takes the same time whatever the key's length and wherever the
// first difference is.

import { createHash, timingSafeEqual } from 'node:crypto';

export const API_KEY_HEADER = 'x-otlp-api-key';

/** Whether a request presenting `given` may export; always true when no key is configured. */
export type ApiKeyCheck = (given: string | readonly string[] | undefined) => boolean;

export function apiKeyCheck(expected: string | undefined): ApiKeyCheck {
  if (!expected) return () => true;
  const want = digest(expected);
  return (given) => {
    // A repeated header is refused rather than guessed at.
    if (typeof given !== 'string') return false;
    return timingSafeEqual(digest(given), want);
  };
}

export function missingKeyMessage(given: unknown): string {
  return given === undefined
    ? `this Loupe collector requires an API key: send it in the ${API_KEY_HEADER} header (OTEL_EXPORTER_OTLP_HEADERS=${API_KEY_HEADER}=<key>; VS Code terminals and debug sessions get it set)`
    : `the ${API_KEY_HEADER} header does not match the collector's API key (setting loupe.apiKey or --api-key)`;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
