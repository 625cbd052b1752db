import { describe, expect, it } from 'vitest';
import { describeRedisTarget, readRedisTarget } from './redis-target';

describe('readRedisTarget', () => {
  it('reads one Redis from REDIS_URL', () => {
    expect(readRedisTarget({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ target: { mode: 'single', url: 'redis://127.0.0.1:6379' } });
  });

  it('reads a cluster from host:port seeds, with credentials from REDIS_USERNAME and REDIS_PASSWORD', () => {
    expect(readRedisTarget({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002', REDIS_USERNAME: 'coordinator', REDIS_PASSWORD: 'pw' })).toEqual({
      target: {
        mode: 'cluster',
        nodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
          { host: '::1', port: 7002 },
        ],
        username: 'coordinator',
        password: 'pw',
        tls: false,
      },
    });
  });

  it('reads a cluster from URL seeds, credentials and TLS included', () => {
    expect(readRedisTarget({ REDIS_CLUSTER_NODES: 'rediss://agent-eu:p%40ss@a:7000,rediss://agent-eu:p%40ss@b:7000' })).toEqual({
      target: { mode: 'cluster', nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7000 }], username: 'agent-eu', password: 'p@ss', tls: true },
    });
  });

  it.each([
    [{}, 'REDIS_URL', /is required/],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL', /redis:\/\/ or rediss:\/\//],
    [{ REDIS_URL: 'redis://a:1', REDIS_CLUSTER_NODES: 'a:1' }, 'REDIS_CLUSTER_NODES', /not both/],
    [{ REDIS_CLUSTER_NODES: ' , ' }, 'REDIS_CLUSTER_NODES', /names no node/],
    [{ REDIS_CLUSTER_NODES: 'a:1,b' }, 'REDIS_CLUSTER_NODES', /node 2 "b" is not host:port/],
    [{ REDIS_CLUSTER_NODES: 'a:70000' }, 'REDIS_CLUSTER_NODES', /port 70000/],
    [{ REDIS_CLUSTER_NODES: 'redis://a:1/2' }, 'REDIS_CLUSTER_NODES', /database/],
    [{ REDIS_CLUSTER_NODES: 'redis://a:1,rediss://b:1' }, 'REDIS_CLUSTER_NODES', /mixes/],
    [{ REDIS_CLUSTER_NODES: 'redis://u:x@a:1,redis://u:y@b:1' }, 'REDIS_CLUSTER_NODES', /different credentials/],
    [{ REDIS_CLUSTER_NODES: 'redis://u:x@a:1', REDIS_PASSWORD: 'y' }, 'REDIS_USERNAME', /cannot be set/],
  ])('refuses %j, naming %s', (environment, variable, message) => {
    const read = readRedisTarget(environment);
    expect('issues' in read && read.issues).toEqual(expect.arrayContaining([expect.objectContaining({ variable, message: expect.stringMatching(message) })]));
  });

  it('never repeats a password in an error or a description', () => {
    const read = readRedisTarget({ REDIS_CLUSTER_NODES: 'redis://u:hunter2@a:1,redis://u:other@b:1' });
    expect(JSON.stringify(read)).not.toContain('hunter2');
    expect(describeRedisTarget({ mode: 'single', url: 'redis://agent:s3cret@redis:6379' })).toBe('redis://agent:***@redis:6379');
    expect(describeRedisTarget({ mode: 'cluster', nodes: [{ host: 'a', port: 1 }], username: 'u', password: 'hunter2', tls: true })).toBe('cluster u@a:1 (tls)');
  });
});
