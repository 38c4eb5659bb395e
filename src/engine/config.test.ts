import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig, usage } from './config.ts';

const MIB = 1024 * 1024;

describe('engine configuration', () => {
  it('defaults to the OpenTelemetry ports on loopback', () => {
    assert.deepEqual(parseConfig([], {}), {
      host: '127.0.0.1', grpcPort: 4317, httpPort: 4318, memoryBudgetBytes: 256 * MIB, maxBodyBytes: 20 * MIB, allowedHosts: [], scrapeTargets: [], scrapeIntervalMs: 15000, diskBudgetBytes: 1024 * MIB, retentionHours: 72, corsOrigins: [], help: false,
    });
  });

  it('reads flags in both "--flag value" and "--flag=value" form', () => {
    const config = parseConfig(['--host', '0.0.0.0', '--grpc-port=0', '--http-port', '9000', '--memory-budget-mb=64', '--max-body-mb', '1.5'], {});
    assert.deepEqual(config, {
      host: '0.0.0.0', grpcPort: 0, httpPort: 9000, memoryBudgetBytes: 64 * MIB, maxBodyBytes: 1.5 * MIB, allowedHosts: [], scrapeTargets: [], scrapeIntervalMs: 15000, diskBudgetBytes: 1024 * MIB, retentionHours: 72, corsOrigins: [], help: false,
    });
  });

  it('reads the environment, and lets flags win over it', () => {
    const env = { LOUPE_HOST: '::1', LOUPE_GRPC_PORT: '5317', LOUPE_HTTP_PORT: '5318', LOUPE_MEMORY_BUDGET_MB: '512', LOUPE_MAX_BODY_MB: '64' };
    assert.deepEqual(parseConfig([], env), {
      host: '::1', grpcPort: 5317, httpPort: 5318, memoryBudgetBytes: 512 * MIB, maxBodyBytes: 64 * MIB, allowedHosts: [], scrapeTargets: [], scrapeIntervalMs: 15000, diskBudgetBytes: 1024 * MIB, retentionHours: 72, corsOrigins: [], help: false,
    });
    const config = parseConfig(['--grpc-port', '6317', '--host=localhost'], env);
    assert.equal(config.grpcPort, 6317);
    assert.equal(config.host, 'localhost');
    assert.equal(config.httpPort, 5318);
  });

  it('treats an empty environment variable as unset', () => {
    assert.equal(parseConfig([], { LOUPE_HTTP_PORT: '' }).httpPort, 4318);
  });

  it('asks for help with --help or -h, whatever else is on the line', () => {
    assert.equal(parseConfig(['--help'], {}).help, true);
    assert.equal(parseConfig(['--grpc-port', 'nope', '-h'], {}).help, true);
    assert.match(usage, /--grpc-port <port>/);
    assert.match(usage, /LOUPE_MAX_BODY_MB/);
  });

  it('explains what is wrong and what to do', () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--grpc-port', 'abc'], {}, /--grpc-port "abc" is not a port: use a whole number from 1 to 65535, or 0/],
      [['--http-port=70000'], {}, /--http-port "70000" is not a port/],
      [['--http-port=-1'], {}, /--http-port "-1" is not a port/],
      [[], { LOUPE_GRPC_PORT: '43.17' }, /LOUPE_GRPC_PORT "43.17" is not a port/],
      [['--verbose'], {}, /unknown option "--verbose". Run with --help/],
      [['--port=1'], {}, /unknown option "--port"/],
      [['serve'], {}, /unexpected argument "serve"/],
      [['--host'], {}, /--host needs a value, as in "--host <value>" or "--host=<value>"/],
      [['--host', '--http-port', '1'], {}, /--host needs a value/],
      [['--host='], {}, /--host is empty/],
      [['--memory-budget-mb', '0'], {}, /--memory-budget-mb "0" is not a size: use a positive number of megabytes/],
      [[], { LOUPE_MAX_BODY_MB: 'lots' }, /LOUPE_MAX_BODY_MB "lots" is not a size/],
      [['--scrape', 'localhost:9464'], {}, /--scrape: scrape target "localhost:9464"/],
      [['--scrape', 'http://a/metrics,ftp://b/'], {}, /--scrape: scrape target "ftp:\/\/b\/": only http and https/],
      [['--scrape-interval-s', '0.5'], {}, /--scrape-interval-s "0.5" is not an interval/],
      [['--cors-origin', 'http://a.test/app'], {}, /--cors-origin: "http:\/\/a.test\/app" is not an origin: write scheme:\/\/host:port/],
      [['--cors-origin', '*'], {}, /--cors-origin: "\*" is not an origin/],
      [[], { LOUPE_CORS_ORIGINS: 'file:///x' }, /LOUPE_CORS_ORIGINS: "file:\/\/\/x" is not an origin/],
      [['--api-key', 'two words'], {}, /--api-key: the API key may hold only printable ASCII/],
      [[], { LOUPE_API_KEY: 'a=b' }, /LOUPE_API_KEY: the API key may not contain/],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(() => parseConfig(argv, env), (err: unknown) => {
        assert.ok(err instanceof ConfigError, `${argv.join(' ')}: ${String(err)}`);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('takes scrape targets repeated, comma-separated or from the environment', () => {
    const c = parseConfig(['--scrape', 'http://127.0.0.1:9464/metrics,shop=http://127.0.0.1:7080/metrics', '--scrape=http://[::1]:9100/metrics', '--scrape-interval-s', '5'], {});
    assert.deepEqual(c.scrapeTargets, ['http://127.0.0.1:9464/metrics', 'shop=http://127.0.0.1:7080/metrics', 'http://[::1]:9100/metrics']);
    assert.equal(c.scrapeIntervalMs, 5000);
    assert.deepEqual(parseConfig([], { LOUPE_SCRAPE: 'http://h:1/m' }).scrapeTargets, ['http://h:1/m']);
    assert.deepEqual(parseConfig([], {}).scrapeTargets, []);
    assert.equal(parseConfig([], {}).scrapeIntervalMs, 15000);
  });

  it('takes browser origins repeated or comma-separated, normalized, and the API key from a flag or the environment', () => {
    const c = parseConfig(['--cors-origin', 'http://MyApp.test:8080/', '--cors-origin=https://a.test,http://b.test:80'], { LOUPE_API_KEY: ' k3y ' });
    assert.deepEqual(c.corsOrigins, ['http://myapp.test:8080', 'https://a.test', 'http://b.test']);
    assert.equal(c.apiKey, 'k3y');
    assert.equal(parseConfig(['--api-key', 'flag'], { LOUPE_API_KEY: 'env' }).apiKey, 'flag');
    assert.equal('apiKey' in parseConfig([], {}), false);
  });
});

describe('the disk tier options', () => {
  it('reads --data-dir, --disk-budget-mb and --retention-hours, and names a bad value', () => {
    const c = parseConfig(['--data-dir', '/tmp/t', '--disk-budget-mb=64', '--retention-hours', '1.5'], {});
    assert.equal(c.dataDir, '/tmp/t');
    assert.equal(c.diskBudgetBytes, 64 * MIB);
    assert.equal(c.retentionHours, 1.5);
    assert.equal(parseConfig([], { LOUPE_DATA_DIR: '/d' }).dataDir, '/d');
    assert.throws(() => parseConfig(['--retention-hours', 'soon'], {}), /--retention-hours "soon" is not a time/);
  });

  it('reads the backpressure bounds, leaves them to the defaults when unset, and names a bad value', () => {
    const c = parseConfig(['--max-inflight-mb', '8', '--max-connections=64'], {});
    assert.equal(c.maxInFlightBytes, 8 * MIB);
    assert.equal(c.maxConnections, 64);
    assert.equal(parseConfig([], { LOUPE_MAX_CONNECTIONS: '10' }).maxConnections, 10);
    assert.equal(parseConfig([], {}).maxInFlightBytes, undefined);
    assert.throws(() => parseConfig(['--max-connections', 'lots'], {}), /--max-connections "lots" is not a number of connections/);
    assert.throws(() => parseConfig(['--max-inflight-mb', '0'], {}), /--max-inflight-mb "0" is not a size/);
  });
});
