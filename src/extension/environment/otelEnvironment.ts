// The OpenTelemetry SDK environment that points an app at the running engine
// (OTLP over HTTP with protobuf, the protocol every SDK supports).

export type OtelEnvironment = Record<string, string>;

/** With `apiKey` (setting `loupe.apiKey`), exports carry it in the header the engine checks. */
export function otelEnvironment(httpUrl: string, apiKey?: string): OtelEnvironment {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: reachableUrl(httpUrl),
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    // The SDKs read this as comma-separated key=value pairs, for HTTP headers and gRPC metadata alike.
    ...(apiKey ? { OTEL_EXPORTER_OTLP_HEADERS: `x-otlp-api-key=${apiKey}` } : {}),
  };
}

/** An engine listening on every interface is reached on loopback. */
export function reachableUrl(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:').replace(/\/+$/, '');
}

/** As lines to paste into a shell: `export K=V` (POSIX) or `$env:K="V"` (PowerShell). */
export function environmentText(env: OtelEnvironment, shell: 'posix' | 'powershell'): string {
  return Object.entries(env)
    .map(([key, value]) => (shell === 'powershell' ? `$env:${key}="${value}"` : `export ${key}=${value}`))
    .join('\n') + '\n';
}
