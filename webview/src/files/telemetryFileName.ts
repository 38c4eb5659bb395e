// Which dropped files are telemetry files (OTLP/JSON, JSON Lines, Jaeger JSON; gzipped
// or not) rather than profiles. The engine decides by content; the name only routes the drop.

const TELEMETRY_NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;

export function isTelemetryFileName(name: string): boolean {
  return TELEMETRY_NAME.test(name);
}
