import { aclPasswordHash, regionAclRuleOfHash, regionAgentCredentialsSchema, type RegionAgentCredentials } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { RegionAclReconciler } from './region-acl-reconciler.service';

interface Created {
  name: string;
  managedBy: string;
  agent?: RegionAgentCredentials;
}

/**
 * Region onboarding through the API, on a redis-server of its own whose default user may run ACL:
 * the agents' user is made on POST, fenced to its region, rotated, revoked with the region, and
 * put back by the ACL reconcile where Redis lost it; with `REGION_ACL=manual` the answer carries
 * the `ACL SETUSER` to run instead.
 */
describe('region credentials API', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let coordinator: TestCoordinator;
  const clients: Redis[] = [];

  /** A client with exactly this URL that does not retry: an AUTH failure is its answer. */
  function agentClient(url: string): Redis {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  }

  /** `none` when a fresh connection with `url` authenticates and PINGs; else Redis's reason (WRONGPASS...). */
  async function authError(url: string): Promise<string> {
    const client = agentClient(url);
    const reasons: string[] = [];
    client.on('error', (error: Error) => reasons.push(error.message));
    try {
      await client.connect();
      await client.ping();
      return 'none';
    } catch (error) {
      return [...reasons, (error as Error).message].join('; ');
    }
  }

  async function createRegion(body: Record<string, unknown>, expected = 201): Promise<Created> {
    const response = await coordinator.request('/v1/regions', { method: 'POST', json: body });
    expect(response.status, await response.clone().text()).toBe(expected);
    return (await response.json()) as Created;
  }

  const urlOf = (agent: RegionAgentCredentials | undefined): string => {
    const env = agent?.env;
    if (env === undefined || !('REDIS_URL' in env)) throw new Error('expected a REDIS_URL');
    return env.REDIS_URL;
  };
  const reconcile = () => coordinator.app.get(RegionAclReconciler).reconcileNow();

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    admin = new Redis(redis.url);
    // Passes of the reconcile are run by the tests, but for the one at boot and after a reconnect.
    coordinator = await startTestCoordinator({ redisUrl: redis.url, regionAclReconcileIntervalMs: 3_600_000 });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  afterAll(async () => {
    admin?.disconnect();
    await coordinator?.close();
    await redis?.destroy();
  });

  it('creates the agents’ user with a new password, answers once with their environment, and keeps only its SHA-256', async () => {
    const name = randomRegion('onb');
    const response = await coordinator.request('/v1/regions', { method: 'POST', json: { name } });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { agent } = (await response.json()) as Created;
    expect(regionAgentCredentialsSchema.parse(agent)).toEqual({ region: name, env: { REGION: name, REDIS_URL: expect.any(String) }, aclUser: `agent-${name}`, managed: true });
    const url = new URL(urlOf(agent));
    expect([url.protocol, url.hostname, url.port, url.pathname, url.username]).toEqual(['redis:', '127.0.0.1', String(redis.port), '/0', `agent-${name}`]);
    const password = decodeURIComponent(url.password);
    expect(password).toMatch(/^[A-Za-z0-9_-]{32,}$/);

    expect(await admin.hget(coordinatorKeys.regionCredentials(), name)).toBe(aclPasswordHash(password));
    expect(JSON.stringify(await admin.hgetall(coordinatorKeys.region(name)))).not.toContain(password);
    const read = await coordinator.request(`/v1/regions/${name}`);
    expect(await read.json()).not.toHaveProperty('agent');

    // Fenced: its own region's keys only, none of the coordinator's, no other command.
    const client = agentClient(urlOf(agent));
    await client.connect();
    expect(await client.set(`cc:r:{${name}}:probe`, '1')).toBe('OK');
    await expect(client.get('cc:r:{some-other-region}:probe')).rejects.toThrow(/NOPERM/);
    await expect(client.smembers(coordinatorKeys.regions())).rejects.toThrow(/NOPERM/);
    await expect(client.call('INFO')).rejects.toThrow(/NOPERM/);

    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('rotates: the old password stops at once (its connections close), the new one works; 404 for an unknown region', async () => {
    const name = randomRegion('rot');
    const { agent } = await createRegion({ name });
    const before = agentClient(urlOf(agent));
    await before.connect();
    expect(await before.ping()).toBe('PONG');
    const closed = new Promise<void>((resolve) => before.once('end', () => resolve()));

    const rotated = await coordinator.request(`/v1/regions/${name}/rotate-credentials`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const { agent: fresh } = (await rotated.json()) as { agent: RegionAgentCredentials };
    expect(fresh).toMatchObject({ region: name, aclUser: `agent-${name}`, managed: true });
    expect(urlOf(fresh)).not.toBe(urlOf(agent));

    await closed;
    expect(await authError(urlOf(agent))).toMatch(/WRONGPASS/);
    expect(await authError(urlOf(fresh))).toBe('none');

    for (const unknown of [randomRegion('nope'), 'Not_A_Region']) {
      expect((await coordinator.request(`/v1/regions/${unknown}/rotate-credentials`, { method: 'POST' })).status).toBe(404);
    }
    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('deletes the agents’ user with the region, and forgets its hash', async () => {
    const name = randomRegion('del');
    const { agent } = await createRegion({ name });
    const connected = agentClient(urlOf(agent));
    await connected.connect();
    const closed = new Promise<void>((resolve) => connected.once('end', () => resolve()));
    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
    expect(await admin.call('ACL', 'GETUSER', `agent-${name}`)).toBeNull();
    expect(await admin.hget(coordinatorKeys.regionCredentials(), name)).toBeNull();
    await closed;
    expect(await authError(urlOf(agent))).toMatch(/WRONGPASS/);
  });

  it('issues no credentials with "credentials": false, and refuses a credentials that is not a boolean', async () => {
    const name = randomRegion('bare');
    const created = await createRegion({ name, credentials: false });
    expect(created).not.toHaveProperty('agent');
    expect(await admin.call('ACL', 'GETUSER', `agent-${name}`)).toBeNull();
    const refused = await coordinator.request('/v1/regions', { method: 'POST', json: { name: randomRegion('bad'), credentials: 'yes' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(['credentials']);

    // Credentials later: rotating issues the first ones.
    const { agent } = (await (await coordinator.request(`/v1/regions/${name}/rotate-credentials`, { method: 'POST' })).json()) as { agent: RegionAgentCredentials };
    expect(await authError(urlOf(agent))).toBe('none');
    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('issues credentials to a region the monitors brought when an operator keeps it (200)', async () => {
    const name = randomRegion('mon');
    const monitor = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'onboarding', regions: [name], intervalSeconds: 3_600, url: 'https://example.test/health' },
    });
    expect(monitor.status).toBe(201);
    expect(await admin.call('ACL', 'GETUSER', `agent-${name}`)).toBeNull();
    const kept = await createRegion({ name }, 200);
    expect(kept).toMatchObject({ managedBy: 'operator', agent: { region: name, managed: true } });
    expect(await authError(urlOf(kept.agent))).toBe('none');
    const { id } = (await monitor.json()) as { id: string };
    expect((await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('puts the user back where Redis lost it or someone changed it, and removes the users of regions that left', async () => {
    const name = randomRegion('rec');
    const { agent } = await createRegion({ name });
    await admin.call('ACL', 'DELUSER', `agent-${name}`);
    expect(await authError(urlOf(agent))).toMatch(/WRONGPASS/);
    await reconcile();
    expect(await authError(urlOf(agent))).toBe('none');

    // Widened by hand: set back to the rule.
    await admin.call('ACL', 'SETUSER', `agent-${name}`, '+info', '~*');
    await reconcile();
    const client = agentClient(urlOf(agent));
    await client.connect();
    await expect(client.call('INFO')).rejects.toThrow(/NOPERM/);
    await expect(client.get('cc:r:{some-other-region}:probe')).rejects.toThrow(/NOPERM/);

    // Credentials whose region is gone from the registry (a delete cut short): their user goes.
    const orphan = randomRegion('orphan');
    const hash = aclPasswordHash('an-orphan-password-0123456789');
    await admin.hset(coordinatorKeys.regionCredentials(), orphan, hash);
    await admin.call('ACL', 'SETUSER', ...regionAclRuleOfHash(orphan, hash));
    await reconcile();
    expect(await admin.call('ACL', 'GETUSER', `agent-${orphan}`)).toBeNull();
    expect(await admin.hget(coordinatorKeys.regionCredentials(), orphan)).toBeNull();
    expect(await admin.call('ACL', 'GETUSER', `agent-${name}`)).not.toBeNull();
    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('re-creates the users after Redis restarts without them', async () => {
    const name = randomRegion('restart');
    const { agent } = await createRegion({ name });
    admin.disconnect();
    await redis.stop();
    await redis.start();
    admin = new Redis(redis.url);
    // The coordinator reconciles when its connection comes back.
    const until = Date.now() + 15_000;
    while ((await authError(urlOf(agent))) !== 'none') {
      if (Date.now() > until) throw new Error('the agents’ user was not re-created after the restart');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  describe('with REGION_ACL=manual', () => {
    let manualRedis: PrivateRedis;
    let manual: TestCoordinator;
    let manualAdmin: Redis;

    beforeAll(async () => {
      manualRedis = new PrivateRedis(await freePort());
      await manualRedis.start();
      manualAdmin = new Redis(manualRedis.url);
      manual = await startTestCoordinator({ redisUrl: manualRedis.url, regionAcl: 'manual' });
    });

    afterAll(async () => {
      manualAdmin?.disconnect();
      await manual?.close();
      await manualRedis?.destroy();
    });

    it('creates the region, makes no user, and answers with the ACL SETUSER that makes the environment work', async () => {
      const name = randomRegion('manual');
      const response = await manual.request('/v1/regions', { method: 'POST', json: { name } });
      expect(response.status).toBe(201);
      const { agent } = (await response.json()) as Created;
      expect(agent).toMatchObject({ region: name, aclUser: `agent-${name}`, managed: false, aclSetuser: expect.stringMatching(/^ACL SETUSER agent-\S+ reset on >\S+ ~cc:r:\{\S+\}:\* /) });
      expect(await manualAdmin.call('ACL', 'GETUSER', `agent-${name}`)).toBeNull();
      const password = decodeURIComponent(new URL(urlOf(agent)).password);
      expect(agent?.aclSetuser).toContain(`>${password}`);

      const [command, ...args] = agent!.aclSetuser!.split(' ');
      await manualAdmin.call(command!, ...args);
      const client = agentClient(urlOf(agent));
      await client.connect();
      expect(await client.set(`cc:r:{${name}}:probe`, '1')).toBe('OK');
      await expect(client.get(coordinatorKeys.regions())).rejects.toThrow(/NOPERM/);

      // Deleting leaves the user to the operator too.
      expect((await manual.request(`/v1/regions/${name}`, { method: 'DELETE' })).status).toBe(204);
      expect(await manualAdmin.call('ACL', 'GETUSER', `agent-${name}`)).not.toBeNull();
    });
  });
});
