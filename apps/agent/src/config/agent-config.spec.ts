import { describe, expect, it } from 'vitest';
import { AgentConfigError, defaultAgentId, readAgentConfig } from './agent-config';

const minimal = { REDIS_URL: 'redis://127.0.0.1:6379', REGION: 'eu-west' };
const process = { host: 'probe-host', pid: 4242 };

function problemsOf(environment: Record<string, string | undefined>): readonly string[] {
  try {
    readAgentConfig(environment, process);
  } catch (error) {
    if (error instanceof AgentConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('readAgentConfig', () => {
  it('applies the documented defaults', () => {
    expect(readAgentConfig(minimal, process)).toEqual({
      redis: { mode: 'single', url: 'redis://127.0.0.1:6379' },
      region: 'eu-west',
      agentId: 'probe-host-4242',
      concurrency: 200,
      resolve: [],
      allowPrivateTargets: true,
      allowLinkLocalTargets: false,
      shutdownGraceMs: 15_000,
      memoryBudgetBytes: 256 * 1024 * 1024,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = readAgentConfig(
      {
        REDIS_URL: 'rediss://agent:secret@redis.internal:6380/0',
        REGION: 'onprem-dc1',
        AGENT_ID: 'dc1.probe_7',
        CONCURRENCY: '5000',
        RESOLVE: 'api.example.com:443:10.0.0.7, localhost:80:[::1]',
        ALLOW_PRIVATE_TARGETS: 'false',
        ALLOW_LINK_LOCAL_TARGETS: 'yes',
        SHUTDOWN_GRACE_MS: '0',
        AGENT_MEMORY_BUDGET_BYTES: '4194304',
        LOG_LEVEL: 'DEBUG',
      },
      process,
    );
    expect(config).toMatchObject({
      redis: { mode: 'single', url: 'rediss://agent:secret@redis.internal:6380/0' },
      region: 'onprem-dc1',
      agentId: 'dc1.probe_7',
      concurrency: 5000,
      allowPrivateTargets: false,
      allowLinkLocalTargets: true,
      shutdownGraceMs: 0,
      memoryBudgetBytes: 4_194_304,
      logLevel: 'debug',
    });
    expect(config.resolve).toEqual([
      { host: 'api.example.com', port: 443, address: '10.0.0.7' },
      { host: 'localhost', port: 80, address: '::1' },
    ]);
  });

  it.each([
    ['REDIS_URL', { REGION: 'eu' }, /REDIS_URL: is required/],
    ['REDIS_URL', { ...minimal, REDIS_URL: '' }, /REDIS_URL: is required/],
    ['REDIS_URL', { ...minimal, REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    ['REDIS_URL', { ...minimal, REDIS_URL: 'localhost:6379' }, /REDIS_URL: must be a redis/],
    ['REGION', { REDIS_URL: minimal.REDIS_URL }, /REGION: is required/],
    ['REGION', { ...minimal, REGION: 'EU_West' }, /REGION: must be 1-32 lower-case/],
    ['REGION', { ...minimal, REGION: 'eu:west' }, /REGION: must be 1-32/],
    ['AGENT_ID', { ...minimal, AGENT_ID: 'probe:1' }, /AGENT_ID: must be 1-128 letters/],
    ['AGENT_ID', { ...minimal, AGENT_ID: 'a*' }, /AGENT_ID: must be/],
    ['CONCURRENCY', { ...minimal, CONCURRENCY: '0' }, /CONCURRENCY: must be an integer from 1 to 5000, got "0"/],
    ['CONCURRENCY', { ...minimal, CONCURRENCY: '5001' }, /CONCURRENCY: must be an integer from 1 to 5000/],
    ['CONCURRENCY', { ...minimal, CONCURRENCY: '2.5' }, /CONCURRENCY: must be an integer/],
    ['CONCURRENCY', { ...minimal, CONCURRENCY: 'lots' }, /CONCURRENCY: must be an integer/],
    ['RESOLVE', { ...minimal, RESOLVE: 'example.com:443' }, /RESOLVE: "example.com:443" must be "host:port:address"/],
    ['RESOLVE', { ...minimal, RESOLVE: 'example.com:443:not-an-ip' }, /RESOLVE: .*is not an IP address/],
    ['RESOLVE', { ...minimal, RESOLVE: 'example.com:99999:10.0.0.1' }, /RESOLVE: .*port must be 1-65535/],
    ['PROBE_DNS_SERVERS', { ...minimal, PROBE_DNS_SERVERS: 'dns.example' }, /PROBE_DNS_SERVERS: "dns.example" is not a DNS server \(expected ip\[:port\]/],
    ['PROBE_DNS_SERVERS', { ...minimal, PROBE_DNS_SERVERS: '127.0.0.53:5353,10.0.0.1:0' }, /PROBE_DNS_SERVERS: "10.0.0.1:0" is not a DNS server/],
    ['PROBE_DNS_SERVERS', { ...minimal, PROBE_DNS_SERVERS: '[127.0.0.1]:53' }, /PROBE_DNS_SERVERS: "\[127.0.0.1\]:53" is not/],
    ['PROBE_DNS_SERVERS', { ...minimal, PROBE_DNS_SERVERS: '1.2.3.4:53:1, ' }, /PROBE_DNS_SERVERS: "1.2.3.4:53:1", "" are not DNS servers/],
    ['AGENT_MEMORY_BUDGET_BYTES', { ...minimal, AGENT_MEMORY_BUDGET_BYTES: '4194303' }, /AGENT_MEMORY_BUDGET_BYTES: must be an integer from 4194304 to 1099511627776, got "4194303"/],
    ['AGENT_MEMORY_BUDGET_BYTES', { ...minimal, AGENT_MEMORY_BUDGET_BYTES: '256MiB' }, /AGENT_MEMORY_BUDGET_BYTES: must be an integer/],
    ['AGENT_MEMORY_BUDGET_BYTES', { ...minimal, AGENT_MEMORY_BUDGET_BYTES: '-1' }, /AGENT_MEMORY_BUDGET_BYTES: must be an integer/],
    ['ALLOW_PRIVATE_TARGETS', { ...minimal, ALLOW_PRIVATE_TARGETS: 'maybe' }, /ALLOW_PRIVATE_TARGETS: must be true or false, got "maybe"/],
    ['ALLOW_LINK_LOCAL_TARGETS', { ...minimal, ALLOW_LINK_LOCAL_TARGETS: '2' }, /ALLOW_LINK_LOCAL_TARGETS: must be true or false/],
    ['SHUTDOWN_GRACE_MS', { ...minimal, SHUTDOWN_GRACE_MS: '-1' }, /SHUTDOWN_GRACE_MS: must be an integer from 0 to 600000/],
    ['LOG_LEVEL', { ...minimal, LOG_LEVEL: 'verbose' }, /LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
  ])('names %s when it is wrong (%j)', (variable, environment, message) => {
    const problems = problemsOf(environment);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(problems[0]).toMatch(message);
  });

  it('serves metrics only when METRICS_PORT is set, on every interface unless METRICS_HOST says otherwise', () => {
    expect(readAgentConfig(minimal, process).metrics).toBeUndefined();
    expect(readAgentConfig({ ...minimal, METRICS_PORT: '9464' }, process).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(readAgentConfig({ ...minimal, METRICS_PORT: '9464', METRICS_HOST: '127.0.0.1' }, process).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(problemsOf({ ...minimal, METRICS_PORT: '0' })).toEqual(['METRICS_PORT: must be an integer from 1 to 65535, got "0"']);
    expect(problemsOf({ ...minimal, METRICS_PORT: 'http' })).toEqual(['METRICS_PORT: must be an integer from 1 to 65535, got "http"']);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ REGION: 'Bad Region', CONCURRENCY: '0', LOG_LEVEL: 'loud' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['REDIS_URL', 'REGION', 'CONCURRENCY', 'LOG_LEVEL']);
  });

  it('reads PROBE_DNS_SERVERS as a list of ip[:port] for the probes, absent when unset or empty', () => {
    expect(readAgentConfig({ ...minimal, PROBE_DNS_SERVERS: '127.0.0.53:5353, 10.0.0.2,[::1]:5353,fd00::53' }, process).dnsServers).toEqual([
      '127.0.0.53:5353',
      '10.0.0.2',
      '[::1]:5353',
      'fd00::53',
    ]);
    expect(readAgentConfig(minimal, process).dnsServers).toBeUndefined();
    expect(readAgentConfig({ ...minimal, PROBE_DNS_SERVERS: ' ' }, process)).not.toHaveProperty('dnsServers');
  });

  it('treats empty optional variables as unset', () => {
    const config = readAgentConfig({ ...minimal, AGENT_ID: '', CONCURRENCY: '', RESOLVE: '', LOG_LEVEL: '' }, process);
    expect(config).toMatchObject({ agentId: 'probe-host-4242', concurrency: 200, resolve: [], logLevel: 'info' });
  });

  it('puts the variable names in the error message', () => {
    expect(() => readAgentConfig({ REDIS_URL: 'nope', REGION: 'eu' }, process)).toThrow(/invalid agent configuration:\n {2}REDIS_URL: /);
  });
});

describe('defaultAgentId', () => {
  it.each([
    ['probe-host', 4242, 'probe-host-4242'],
    ['ip-10-0-0-1.ec2.internal', 7, 'ip-10-0-0-1.ec2.internal-7'],
    ['weird:host name*[1]', 1, 'weird-host-name-1-1'],
    ['::', 9, 'agent-9'],
    ['', 9, 'agent-9'],
  ])('makes %j safe in keys', (host, pid, expected) => {
    expect(defaultAgentId(host, pid)).toBe(expected);
  });

  it('stays within 128 characters and keeps the pid', () => {
    const id = defaultAgentId('h'.repeat(300), 123456);
    expect(id).toHaveLength(128);
    expect(id.endsWith('-123456')).toBe(true);
  });
});
