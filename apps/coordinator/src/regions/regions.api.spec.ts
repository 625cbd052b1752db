import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

interface RegionView {
  name: string;
  managedBy: 'operator' | 'monitors';
  createdAt: string;
  monitorCount: number;
  liveAgents: number;
  blind: boolean;
}

/**
 * The region registry: regions exist because a monitor names them or an operator creates them,
 * up to `MAX_REGIONS`. On a redis-server of its own, so that the count is this test's alone.
 */
describe('regions API', () => {
  const MAX = 4;
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;

  const monitor = (regions: string[]) => ({ name: 'regions test', regions, intervalSeconds: 3_600, url: 'https://example.test/health' });

  async function createMonitor(regions: string[]): Promise<string> {
    const response = await coordinator.request('/v1/monitors', { method: 'POST', json: monitor(regions) });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function region(name: string): Promise<{ status: number; body: RegionView }> {
    const response = await coordinator.request(`/v1/regions/${name}`);
    return { status: response.status, body: (await response.json()) as RegionView };
  }

  async function list(): Promise<{ items: RegionView[]; maxRegions: number }> {
    const response = await coordinator.request('/v1/regions');
    expect(response.status).toBe(200);
    return (await response.json()) as { items: RegionView[]; maxRegions: number };
  }

  const remove = (name: string) => coordinator.request(`/v1/regions/${name}`, { method: 'DELETE' });
  const deleteMonitor = async (id: string) => expect((await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' })).status).toBe(204);

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url, maxRegions: MAX });
  });

  afterAll(async () => {
    await coordinator?.close();
    await redis?.destroy();
  });

  it('creates, reads, lists and deletes an operator region', async () => {
    const name = randomRegion('op');
    const created = await coordinator.request('/v1/regions', { method: 'POST', json: { name } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/regions/${name}`);
    expect(await created.json()).toEqual({
      name,
      managedBy: 'operator',
      createdAt: expect.any(String),
      monitorCount: 0,
      liveAgents: 0,
      blind: true,
      agent: { region: name, env: { REGION: name, REDIS_URL: expect.any(String) }, aclUser: `agent-${name}`, managed: true },
    });

    expect(await region(name)).toMatchObject({ status: 200, body: { name, managedBy: 'operator' } });
    expect((await list()).items.map((item) => item.name)).toContain(name);
    expect((await list()).maxRegions).toBe(MAX);

    const again = await coordinator.request('/v1/regions', { method: 'POST', json: { name } });
    expect(again.status).toBe(409);

    // A monitor may use it; while it does, the region cannot go; after, it stays until deleted.
    const id = await createMonitor([name]);
    expect(await region(name)).toMatchObject({ body: { managedBy: 'operator', monitorCount: 1 } });
    const inUse = await remove(name);
    expect(inUse.status).toBe(409);
    expect(((await inUse.json()) as { message: string }).message).toMatch(/1 monitor/);
    await deleteMonitor(id);
    expect(await region(name)).toMatchObject({ status: 200, body: { monitorCount: 0 } });

    expect((await remove(name)).status).toBe(204);
    expect((await region(name)).status).toBe(404);
    expect((await remove(name)).status).toBe(404);
  });

  it('registers the regions a monitor names while it names them', async () => {
    const name = randomRegion('implied');
    const id = await createMonitor([name]);
    expect(await region(name)).toMatchObject({ status: 200, body: { name, managedBy: 'monitors', monitorCount: 1 } });
    expect((await remove(name)).status).toBe(409);

    await deleteMonitor(id);
    expect((await region(name)).status).toBe(404);
    expect((await list()).items.map((item) => item.name)).not.toContain(name);
  });

  it('lets an operator keep a region a monitor brought', async () => {
    const name = randomRegion('adopt');
    const id = await createMonitor([name]);
    const adopted = await coordinator.request('/v1/regions', { method: 'POST', json: { name } });
    expect(adopted.status).toBe(200);
    expect(await adopted.json()).toMatchObject({ name, managedBy: 'operator', monitorCount: 1 });
    await deleteMonitor(id);
    expect(await region(name)).toMatchObject({ status: 200, body: { managedBy: 'operator', monitorCount: 0 } });
    expect((await remove(name)).status).toBe(204);
  });

  it.each([
    { body: { name: 'Bad_Region' }, path: 'name' },
    { body: { name: '' }, path: 'name' },
    { body: { name: 'x'.repeat(33) }, path: 'name' },
    { body: {}, path: 'name' },
    { body: { name: 42 }, path: 'name' },
    { body: { name: 'ok-name', extra: true }, path: 'extra' },
  ])('refuses $body with a 400 naming $path', async ({ body, path }) => {
    const response = await coordinator.request('/v1/regions', { method: 'POST', json: body });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { issues: { path: string }[] };
    expect(problem.issues.map((issue) => issue.path)).toContain(path);
  });

  it('answers 404 for a region name that cannot exist', async () => {
    expect((await region('Not_A_Region')).status).toBe(404);
    expect((await remove('Not_A_Region')).status).toBe(404);
  });

  it(`holds at most MAX_REGIONS regions, from operators and monitors alike`, async () => {
    const names = Array.from({ length: MAX }, (_, i) => randomRegion(`cap${i}`));
    // Half by an operator, half by a monitor.
    for (const name of names.slice(0, MAX / 2)) expect((await coordinator.request('/v1/regions', { method: 'POST', json: { name } })).status).toBe(201);
    const id = await createMonitor(names.slice(MAX / 2));
    expect((await list()).items).toHaveLength(MAX);

    const extra = randomRegion('over');
    const byOperator = await coordinator.request('/v1/regions', { method: 'POST', json: { name: extra } });
    expect(byOperator.status).toBe(409);
    expect(((await byOperator.json()) as { message: string }).message).toMatch(/MAX_REGIONS/);

    const byMonitor = await coordinator.request('/v1/monitors', { method: 'POST', json: monitor([names[0]!, extra]) });
    expect(byMonitor.status).toBe(409);
    const problem = (await byMonitor.json()) as { message: string; issues: { path: string; message: string }[] };
    expect(problem.message).toMatch(/MAX_REGIONS/);
    expect(problem.issues).toEqual([{ path: 'regions.1', message: expect.stringContaining(extra) }]);

    // The same through an update, and nothing was registered on the way.
    const patched = await coordinator.request(`/v1/monitors/${id}`, { method: 'PATCH', json: { regions: [...names.slice(MAX / 2), extra] } });
    expect(patched.status).toBe(409);
    expect((await region(extra)).status).toBe(404);

    // Regions already registered remain usable at the cap.
    const reused = await createMonitor([names[0]!]);
    await deleteMonitor(reused);
    await deleteMonitor(id);
    for (const name of names.slice(0, MAX / 2)) expect((await remove(name)).status).toBe(204);
    expect((await list()).items).toHaveLength(0);
  });

  it('documents the routes and their schemas in the OpenAPI document', async () => {
    const document = (await (await fetch(`${coordinator.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(document.paths['/v1/regions'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/v1/regions/{name}'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(document.paths['/v1/regions/{name}/rotate-credentials'] ?? {})).toEqual(['post']);
    for (const name of ['Region', 'RegionInput', 'RegionList', 'RegionCreated', 'RegionAgentCredentials', 'RegionCredentialsRotation']) {
      expect(document.components.schemas, name).toHaveProperty(name);
    }
    expect(document.components.schemas['RegionInput']).toMatchObject({ properties: { name: { type: 'string' }, credentials: { type: 'boolean', default: true } } });
  });
});
