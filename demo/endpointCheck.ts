// One look at the OTLP endpoint before sending, so that a newcomer who forgot to start
// Loupe is told so instead of watching an empty view. The exporters retry either way.

export async function describeEndpoint(endpoint: string): Promise<string> {
  try {
    const res = await fetch(`${endpoint}/api/status`, { signal: AbortSignal.timeout(1500) });
    const status = (await res.json().catch(() => undefined)) as { name?: string; version?: string } | undefined;
    if (status?.name === 'loupe') return `sending telemetry to Loupe ${status.version ?? ''} at ${endpoint}`;
    return `sending OTLP to ${endpoint} (it is not Loupe, but any OTLP/HTTP receiver will do)`;
  } catch {
    return (
      `nothing answers at ${endpoint} yet: start Loupe with \`npm start\` in another terminal ` +
      '(or set OTEL_EXPORTER_OTLP_ENDPOINT); the demo keeps sending meanwhile'
    );
  }
}
