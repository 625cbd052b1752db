import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NGINX_502_PAGE } from './caching-edge';
import { httpGet } from './http-get';
import { HAPROXY_503_PAGE } from './load-balancer';
import { DEMO_REGIONS, World, type DemoRegion, type DemoSite } from './world';

let world: World;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** GET a site the way a region's agent reaches it (its RESOLVE route). */
function getAs(region: DemoRegion, site: DemoSite, path = '/', headers: Record<string, string> = {}): ReturnType<typeof httpGet> {
  return httpGet(world.urlOf(site, path), { connectTo: { host: world.addressFor(region, site) }, headers });
}

beforeAll(async () => {
  world = await World.start({ subnet: '127.0.77', shopMaxAgeSeconds: 1, lbHealthCheckIntervalMs: 200 });
});

afterAll(async () => {
  await world.stop();
});

describe('World', () => {
  it('serves every site on one port, with per-region routes in RESOLVE form', () => {
    expect(world.port).toBeGreaterThan(0);
    expect(world.resolveFor('eu-west')).toEqual([
      `www.demo.test:${world.port}:127.0.77.11`,
      `shop.demo.test:${world.port}:127.0.77.22`,
      `api.demo.test:${world.port}:127.0.77.31`,
    ]);
    expect(world.resolveFor('us-east')[1]).toBe(`shop.demo.test:${world.port}:127.0.77.23`);
    expect(world.resolveFor('ap-south')[1]).toBe(`shop.demo.test:${world.port}:127.0.77.21`);
    expect(world.monitors().map((monitor) => monitor.url)).toEqual([
      `http://www.demo.test:${world.port}/health`,
      `http://shop.demo.test:${world.port}/`,
      `http://api.demo.test:${world.port}/health`,
    ]);
    expect(world.describe().join('\n')).toContain('shop edge eu-west');
  });

  it('healthy: every region gets the real content, through an edge or not', async () => {
    for (const region of DEMO_REGIONS) {
      const shop = await getAs(region, 'shop');
      expect(shop.status).toBe(200);
      expect(shop.body).toContain(world.shop.marker);
      expect(shop.headers['x-cache'] !== undefined).toBe(region !== 'ap-south');
      expect((await getAs(region, 'www', '/health')).status).toBe(200);
      expect(JSON.parse((await getAs(region, 'api', '/health')).body)).toMatchObject({ status: 'ok' });
    }
  });

  it('originDown: edges serve the cached shop page STALE with 200, the bypass gets 502, ap-south is refused', async () => {
    await getAs('eu-west', 'shop');
    await getAs('us-east', 'shop');
    await world.originDown();
    await sleep(1_100);
    for (const region of ['eu-west', 'us-east'] as const) {
      const lie = await getAs(region, 'shop');
      expect(lie.status).toBe(200);
      expect(lie.headers['x-cache']).toBe('STALE');
      expect(lie.body).toContain(world.shop.marker);
      const bypass = await getAs(region, 'shop', `/?_crosscheck_bypass=${region}`, { 'cache-control': 'no-cache' });
      expect(bypass.status).toBe(502);
      expect(bypass.body).toBe(NGINX_502_PAGE);
    }
    await expect(getAs('ap-south', 'shop')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await world.originUp();
    expect((await getAs('ap-south', 'shop')).status).toBe(200);
  });

  it('edgeDown: only the region behind that POP is cut off', async () => {
    await world.edgeDown('eu-west');
    await expect(getAs('eu-west', 'shop')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await getAs('us-east', 'shop')).status).toBe(200);
    expect((await getAs('ap-south', 'shop')).status).toBe(200);
    await world.edgeUp('eu-west');
    expect((await getAs('eu-west', 'shop')).status).toBe(200);
  });

  it("lbBackendsDown: the api answers HAProxy's 503 page with status 200 everywhere; lbBackendsUp heals it", async () => {
    await world.lbBackendsDown();
    for (const region of DEMO_REGIONS) {
      const lie = await getAs(region, 'api', '/health');
      expect(lie.status).toBe(200);
      expect(lie.body).toBe(HAPROXY_503_PAGE);
    }
    await world.lbBackendsUp();
    const honest = await getAs('eu-west', 'api', '/health');
    expect(JSON.parse(honest.body)).toMatchObject({ status: 'ok' });
  });

  it('reset brings everything back after several failures', async () => {
    await world.www.unhealthy();
    await world.shop.down();
    await world.edgeDown('us-east');
    await world.lbBackendsDown();
    await world.reset();
    for (const region of DEMO_REGIONS) {
      expect((await getAs(region, 'www', '/health')).status).toBe(200);
      expect((await getAs(region, 'shop')).status).toBe(200);
      expect(JSON.parse((await getAs(region, 'api', '/health')).body)).toMatchObject({ status: 'ok' });
    }
  });

  it('stop() frees every address', async () => {
    const other = await World.start({ subnet: '127.0.78' });
    const port = other.port;
    await other.stop();
    for (const octet of [11, 21, 22, 23, 31, 32, 33]) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: `127.0.78.${octet}`, port }, () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
