import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentText, otelEnvironment } from './otelEnvironment.ts';

describe('the OpenTelemetry environment', () => {
  it('points the SDK at the engine over OTLP/HTTP with protobuf, for every signal', () => {
    assert.deepEqual(otelEnvironment('http://127.0.0.1:4318'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
    });
  });

  it('carries the API key in the header the engine checks, only when one is set', () => {
    assert.equal(otelEnvironment('http://127.0.0.1:4318', 'k3y').OTEL_EXPORTER_OTLP_HEADERS, 'x-otlp-api-key=k3y');
    assert.equal('OTEL_EXPORTER_OTLP_HEADERS' in otelEnvironment('http://127.0.0.1:4318'), false);
  });

  it('sends to loopback when the engine listens on every interface', () => {
    assert.equal(otelEnvironment('http://0.0.0.0:4318').OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4318');
    assert.equal(otelEnvironment('http://[::]:9999/').OTEL_EXPORTER_OTLP_ENDPOINT, 'http://[::1]:9999');
  });

  it('is written for the shell it is pasted into', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'otlp' };
    assert.equal(environmentText(env, 'posix'), 'export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318\nexport OTEL_TRACES_EXPORTER=otlp\n');
    assert.equal(environmentText(env, 'powershell'), '$env:OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:4318"\n$env:OTEL_TRACES_EXPORTER="otlp"\n');
  });
});
