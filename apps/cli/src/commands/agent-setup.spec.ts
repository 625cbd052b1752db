import { describe, expect, it } from 'vitest';
import { renderAgentSetup } from './agent-setup';

const PASSWORD = 'Zk2v_0rT9qW3xYbN8mLp4sHd6fJc1aEuRgVt5iOoQwY';

describe('renderAgentSetup', () => {
  it('prints the environment and a docker run line; a Redis on loopback is reached on the host network', () => {
    const text = renderAgentSetup({
      region: 'eu-west',
      env: { REGION: 'eu-west', REDIS_URL: `redis://agent-eu-west:${PASSWORD}@127.0.0.1:6379/0` },
      aclUser: 'agent-eu-west',
      managed: true,
    });
    expect(text).toContain(`  REDIS_URL=redis://agent-eu-west:${PASSWORD}@127.0.0.1:6379/0`);
    expect(text).toContain(`docker run --rm --network host -e REGION=eu-west -e REDIS_URL=redis://agent-eu-west:${PASSWORD}@127.0.0.1:6379/0 crosscheck:local`);
    expect(text).not.toContain('ACL SETUSER');
  });

  it('keeps the container network for a Redis elsewhere, quotes what the shell would split, and gives the ACL line when it is to be run by hand', () => {
    const text = renderAgentSetup({
      region: 'us-east',
      env: { REGION: 'us-east', REDIS_CLUSTER_NODES: 'redis-a.internal:6379,redis-b.internal:6379', REDIS_USERNAME: 'agent-us-east', REDIS_PASSWORD: "it's" },
      managed: false,
      aclSetuser: 'ACL SETUSER agent-us-east reset on >secret ~cc:r:{us-east}:*',
    });
    expect(text).toContain('Run this on every Redis node first');
    expect(text).toContain('  ACL SETUSER agent-us-east reset on >secret ~cc:r:{us-east}:*');
    expect(text).toContain("docker run --rm -e REGION=us-east -e REDIS_CLUSTER_NODES=redis-a.internal:6379,redis-b.internal:6379 -e REDIS_USERNAME=agent-us-east -e REDIS_PASSWORD='it'\\''s' crosscheck:local");
  });
});
