import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOtelEnvironment, type LaunchConfiguration } from './debugInjection.ts';

const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };

describe('debug sessions get the OpenTelemetry environment', () => {
  it('added to the env of launch configurations of supported runtimes', () => {
    for (const type of ['node', 'pwa-node', 'python', 'debugpy', 'go', 'java', 'coreclr']) {
      const config = withOtelEnvironment({ type, request: 'launch', name: 'app', env: { PORT: '8080' } }, otel);
      assert.deepEqual(config.env, { ...otel, PORT: '8080' }, type);
      assert.equal(config.name, 'app');
    }
  });

  it('without overriding what the launch configuration sets itself', () => {
    const config = withOtelEnvironment({ type: 'node', request: 'launch', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } }, otel);
    assert.deepEqual(config.env, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
  });

  it('a variable set to null (unset it) counts as set', () => {
    const config = withOtelEnvironment({ type: 'python', request: 'launch', env: { OTEL_EXPORTER_OTLP_ENDPOINT: null, OTEL_EXPORTER_OTLP_PROTOCOL: null } }, otel);
    assert.deepEqual(config.env, { OTEL_EXPORTER_OTLP_ENDPOINT: null, OTEL_EXPORTER_OTLP_PROTOCOL: null });
  });

  it('not for attach requests or other debuggers, which are returned untouched', () => {
    const attach = { type: 'node', request: 'attach', port: 9229 };
    assert.equal(withOtelEnvironment(attach, otel), attach);
    const chrome = { type: 'chrome', request: 'launch', url: 'http://localhost:3000' };
    assert.equal(withOtelEnvironment(chrome, otel), chrome);
  });

  it('works without an env object in the configuration', () => {
    const config: LaunchConfiguration = { type: 'go', request: 'launch' };
    assert.deepEqual(withOtelEnvironment(config, otel).env, otel);
  });
});
