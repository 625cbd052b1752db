import { afterEach, describe, expect, it } from 'vitest';
import { httpGet } from './http-get';
import { HAPROXY_503_PAGE, HAPROXY_504_PAGE, LoadBalancer, type LoadBalancerOptions } from './load-balancer';
import { HEALTH_OK, OriginSite } from './origin-site';

const LB_HOST = '127.0.0.64';
const BACKEND_HOSTS = ['127.0.0.65', '127.0.0.66'];

let backends: OriginSite[] = [];
let lb: LoadBalancer | undefined;

async function setup(options: Partial<LoadBalancerOptions> = {}): Promise<{ lb: LoadBalancer; backends: OriginSite[] }> {
  backends = BACKEND_HOSTS.map((host, index) => new OriginSite({ host, name: `backend-${index}` }));
  await Promise.all(backends.map((backend) => backend.start()));
  lb = new LoadBalancer({
    host: LB_HOST,
    backends: backends.map((backend) => ({ host: backend.host, port: backend.port })),
    healthCheckIntervalMs: 60_000,
    ...options,
  });
  await lb.start();
  return { lb, backends };
}

afterEach(async () => {
  await lb?.stop();
  await Promise.all(backends.map((backend) => backend.stop()));
  lb = undefined;
  backends = [];
});

describe('LoadBalancer', () => {
  it('spreads requests round-robin over healthy backends', async () => {
    const { lb } = await setup();
    const servedBy: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await httpGet(`${lb.origin}/health`);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual(HEALTH_OK);
      servedBy.push(response.headers['x-demo-server']!);
    }
    expect(servedBy).toEqual(['backend-0', 'backend-1', 'backend-0', 'backend-1']);
  });

  it('a backend that refuses connections is marked down and the request goes to the other one', async () => {
    const { lb, backends } = await setup();
    await backends[0]!.down();
    for (let i = 0; i < 3; i++) {
      const response = await httpGet(lb.url);
      expect(response.status).toBe(200);
      expect(response.headers['x-demo-server']).toBe('backend-1');
    }
    expect(lb.backends.map((backend) => backend.healthy)).toEqual([false, true]);
  });

  it("no backend healthy: HAProxy's 503 page with status 200 (the lie)", async () => {
    const { lb, backends } = await setup();
    await Promise.all(backends.map((backend) => backend.down()));
    const response = await httpGet(`${lb.origin}/health`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(HAPROXY_503_PAGE);
    expect(response.body).toContain('<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>');
    expect(response.headers['content-type']).toBe('text/html');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(lb.errorPagesServed).toBe(1);
  });

  it('active health checks: backends whose /health fails are taken out, and put back when it passes', async () => {
    const { lb, backends } = await setup();
    await Promise.all(backends.map((backend) => backend.unhealthy()));
    await lb.checkNow();
    expect(lb.backends.every((backend) => !backend.healthy)).toBe(true);
    expect(lb.backends[0]!.lastError).toBe('health check answered 503');
    const lie = await httpGet(`${lb.origin}/health`);
    expect(lie.status).toBe(200);
    expect(lie.body).toBe(HAPROXY_503_PAGE);
    await Promise.all(backends.map((backend) => backend.up()));
    await lb.checkNow();
    const honest = await httpGet(`${lb.origin}/health`);
    expect(honest.status).toBe(200);
    expect(JSON.parse(honest.body)).toEqual(HEALTH_OK);
  });

  it('health checks run on their interval', async () => {
    const { lb, backends } = await setup({ healthCheckIntervalMs: 100 });
    await Promise.all(backends.map((backend) => backend.down()));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lb.backends.every((backend) => !backend.healthy)).toBe(true);
    await Promise.all(backends.map((backend) => backend.up()));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lb.backends.every((backend) => backend.healthy)).toBe(true);
  });

  it('errorPageStatus makes it honest (503)', async () => {
    const { lb, backends } = await setup({ errorPageStatus: 503 });
    await Promise.all(backends.map((backend) => backend.down()));
    const response = await httpGet(lb.url);
    expect(response.status).toBe(503);
    expect(response.body).toBe(HAPROXY_503_PAGE);
  });

  it("a backend that does not answer in time gives HAProxy's 504 page, with status 200", async () => {
    const { lb, backends } = await setup({ backendTimeoutMs: 200 });
    await Promise.all(backends.map((backend) => backend.slow(2_000)));
    const response = await httpGet(lb.url);
    expect(response.status).toBe(200);
    expect(response.body).toBe(HAPROXY_504_PAGE);
  });

  it('passes a backend 5xx through while the backend is still in rotation', async () => {
    const { lb, backends } = await setup();
    await Promise.all(backends.map((backend) => backend.unhealthy()));
    const response = await httpGet(`${lb.origin}/health`);
    expect(response.status).toBe(503);
    expect(response.body).toContain('"status":"error"');
  });
});
