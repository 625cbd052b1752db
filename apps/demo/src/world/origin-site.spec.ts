import { afterEach, describe, expect, it } from 'vitest';
import { httpGet } from './http-get';
import { HEALTH_DEGRADED, HEALTH_ERROR, HEALTH_OK, OriginSite } from './origin-site';

const HOST = '127.0.0.61';
let site: OriginSite | undefined;

async function started(): Promise<OriginSite> {
  site = new OriginSite({ host: HOST, name: 'spec-origin', marker: 'spec-marker-123', maxAgeSeconds: 7 });
  await site.start();
  return site;
}

afterEach(async () => {
  await site?.stop();
  site = undefined;
});

describe('OriginSite', () => {
  it('serves a cacheable home page with its marker and validators, and 304 to a matching If-None-Match', async () => {
    const origin = await started();
    const home = await httpGet(origin.url);
    expect(home.status).toBe(200);
    expect(home.body).toContain('spec-marker-123');
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.headers['cache-control']).toBe('public, max-age=7');
    expect(home.headers['etag']).toMatch(/^"/);
    expect(home.headers['last-modified']).toBeDefined();
    const conditional = await httpGet(origin.url, { headers: { 'if-none-match': home.headers['etag']! } });
    expect(conditional.status).toBe(304);
    expect(conditional.body).toBe('');
    expect(origin.requestsTo('/')).toBe(2);
  });

  it('answers /health with an ok health document, uncacheable, and 404 elsewhere', async () => {
    const origin = await started();
    const health = await httpGet(`${origin.origin}/health?anything=1`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual(HEALTH_OK);
    expect(health.body).toBe('{"status":"ok","checks":{"db":{"status":"ok"}}}');
    expect(health.headers['cache-control']).toBe('no-store');
    expect((await httpGet(`${origin.origin}/nope`)).status).toBe(404);
  });

  it('down() closes the port (connection refused) and up() listens again on the same port', async () => {
    const origin = await started();
    const port = origin.port;
    await origin.down();
    expect(origin.mode).toBe('down');
    expect(origin.listening).toBe(false);
    await expect(httpGet(origin.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await origin.up();
    expect(origin.port).toBe(port);
    expect((await httpGet(origin.url)).status).toBe(200);
  });

  it('down() cuts a request in flight', async () => {
    const origin = await started();
    await origin.slow(5_000);
    const pending = httpGet(origin.url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await origin.down();
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('unhealthy(): /health answers 503 with the database down, / answers 500', async () => {
    const origin = await started();
    await origin.unhealthy();
    const health = await httpGet(`${origin.origin}/health`);
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toEqual(HEALTH_ERROR);
    expect(health.body).toBe('{"status":"error","checks":{"db":{"status":"down","error":"connection refused"}}}');
    const home = await httpGet(origin.url);
    expect(home.status).toBe(500);
    expect(home.body).not.toContain('spec-marker-123');
  });

  it('degraded(): /health answers 200 with status degraded, / stays fine', async () => {
    const origin = await started();
    await origin.degraded();
    const health = await httpGet(`${origin.origin}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual(HEALTH_DEGRADED);
    expect((JSON.parse(health.body) as { status: string }).status).toBe('degraded');
    expect((await httpGet(origin.url)).status).toBe(200);
  });

  it('slow(ms) delays every answer; up() makes it fast and healthy again', async () => {
    const origin = await started();
    await origin.slow(300);
    expect(origin.describe()).toBe('up, slow 300 ms');
    const slow = await httpGet(`${origin.origin}/health`);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(280);
    await origin.unhealthy();
    await origin.up();
    const fast = await httpGet(`${origin.origin}/health`);
    expect(fast.ms).toBeLessThan(250);
    expect(JSON.parse(fast.body)).toEqual(HEALTH_OK);
  });

  it('modes bring a downed site back up (unhealthy after down listens again)', async () => {
    const origin = await started();
    await origin.down();
    await origin.unhealthy();
    expect(origin.listening).toBe(true);
    expect((await httpGet(`${origin.origin}/health`)).status).toBe(503);
  });

  it('refuses non-loopback addresses', () => {
    expect(() => new OriginSite({ host: '0.0.0.0' })).toThrow(/loopback/);
    expect(() => new OriginSite({ host: '10.0.0.1' })).toThrow(/loopback/);
  });
});
