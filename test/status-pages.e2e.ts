/**
 * Public status pages, end to end: a real coordinator and two real agents (processes) on a Redis
 * of the suite's own, probing an origin on loopback that goes down for a few rounds and comes back.
 *
 * The API: create (201, Location, ETag), the slug and the key unique (409), unknown monitor ids and
 * bad fields named (400), reads by id and by key, paging, dry runs, a stale If-Match (412), a slug
 * moved, scopes, delete; a monitor deleted leaves the page, which keeps working.
 *
 * The public page, without a token, in Debian's Chromium (playwright-core): the 90-day uptime
 * percentage below 100 % and the incident in words, landmarks and headings, 90 bars with their
 * text, a layout that holds on a phone; neither its HTML nor its JSON carries the target's URL,
 * address, port, headers or the monitor's id. `Cache-Control: public, max-age=30`; the rate limit
 * per client address applies to it too. `SCREENSHOTS_DIR`, when set, gets screenshots of the page.
 */
import { mkdirSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from './support/net';
import { startRedis, type TestRedis } from './support/redis-server';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';

const TOKEN = 'e2e-status-pages-token-0123456789';
const ORIGIN_HOST = '127.0.0.84';
const REGIONS = ['sp-north', 'sp-south'] as const;
const SECRET_HEADER = { name: 'x-status-probe-secret', value: 'sp-secret-7d1c4e' };
/** Low enough to reach in a burst, far above what the rest of the suite sends from 127.0.0.1. */
const RATE_LIMIT_PER_ADDRESS = 400;
const CHROMIUM = '/usr/bin/chromium';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

interface StatusPage {
  id: string;
  key: string;
  revision: number;
  slug: string;
  title: string;
  description: string | null;
  monitorIds: string[];
  publicUrl: string;
}

interface Problem {
  status: number;
  detail: string;
  issues?: { path: string; message: string }[];
  currentRevision?: number;
}

interface PublicPage {
  title: string;
  status: { state: string; label: string };
  monitors: {
    name: string;
    state: string;
    label: string;
    uptime: { ratio: number | null; percent: string | null };
    days: { date: string; state: string; label: string }[];
    incidents: { state: string; classification: string; label: string; summary: string; startedAt: string; resolvedAt: string | null; affectedRegions: string[] }[];
  }[];
}

let redis: TestRedis;
let coordinator: Coordinator;
let api: ApiClient;
let anonymous: ApiClient;
let origin: http.Server;
let originUrl = '';
let originUp = true;
let browser: Browser;
let monitorId = '';
let otherMonitorId = '';

beforeAll(async () => {
  const port = await freePort(ORIGIN_HOST);
  origin = http.createServer((request, response) => {
    if (!originUp) {
      response.writeHead(503, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      response.end('down for the test');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => origin.listen(port, ORIGIN_HOST, resolve));
  originUrl = `http://${ORIGIN_HOST}:${port}/health`;
  // A Redis of the suite's own: its pages and monitors, and its client addresses' rate limits, are its alone.
  redis = await startRedis({ restartable: true });
  const [started, launched] = await Promise.all([
    startCoordinator({ redisUrl: redis.url, token: TOKEN, name: 'coordinator-status-pages', env: { RATE_LIMIT_PER_MINUTE_PER_ADDRESS: String(RATE_LIMIT_PER_ADDRESS), LOG_LEVEL: 'warn' } }),
    chromium.launch({ executablePath: CHROMIUM, headless: true }),
  ]);
  coordinator = started;
  browser = launched;
  for (const region of REGIONS) startAgent({ redisUrl: redis.url, region, agentId: `${region}-1`, env: { LOG_LEVEL: 'warn' } });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  anonymous = new ApiClient(coordinator.baseUrl, undefined);
});

afterAll(async () => {
  await browser?.close();
  await stopAllSystemProcesses();
  await new Promise<void>((resolve) => (origin ? origin.close(() => resolve()) : resolve()));
  await redis?.stop();
});

async function createMonitor(name: string, intervalSeconds: number): Promise<string> {
  const created = await api.post<{ id: string }>('/v1/monitors', {
    name,
    url: originUrl,
    regions: [...REGIONS],
    intervalSeconds,
    headers: { [SECRET_HEADER.name]: SECRET_HEADER.value },
    incidents: { openAfter: 1, resolveAfter: 1 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

describe('status pages', () => {
  it('are a resource: created with a unique slug and key, naming monitors that exist', async () => {
    [monitorId, otherMonitorId] = await Promise.all([createMonitor('Checkout API', 1), createMonitor('Search', 3_600)]);

    const created = await api.post<StatusPage>('/v1/status-pages', { key: 'public', slug: 'acme', title: 'Acme status', description: 'Our <services>', monitorIds: [monitorId, otherMonitorId] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/status-pages/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ key: 'public', revision: 1, slug: 'acme', title: 'Acme status', monitorIds: [monitorId, otherMonitorId], publicUrl: '/status/acme' });

    const slugTaken = await api.post<Problem>('/v1/status-pages', { slug: 'acme', title: 'Another', monitorIds: [] });
    expect(slugTaken.status).toBe(409);
    expect(slugTaken.body.detail).toBe(`status page slug acme is taken by ${created.body.id}`);
    const keyTaken = await api.post<Problem>('/v1/status-pages', { key: 'public', slug: 'other', title: 'Another', monitorIds: [] });
    expect(keyTaken.status).toBe(409);
    expect(keyTaken.body.detail).toContain('status page key public is taken');

    const unknown = await api.post<Problem>('/v1/status-pages', { slug: 'unknown', title: 'Unknown', monitorIds: [monitorId, 'mon_aaaaaaaaaaaaaaaaaaaa'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([{ path: 'monitorIds.1', message: 'no monitor mon_aaaaaaaaaaaaaaaaaaaa (unknown, or deleted)' }]);
    const invalid = await api.post<Problem>('/v1/status-pages', { key: 'sp_aaaaaaaaaaaaaaaaaaaa', slug: 'Not A Slug', title: 'x'.repeat(121), monitorIds: [monitorId, monitorId], colour: 'red' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues?.map((issue) => issue.path).sort()).toEqual(['colour', 'monitorIds.1', 'slug', 'title']);
    const tooMany = await api.post<Problem>('/v1/status-pages', { slug: 'big', title: 'Big', monitorIds: Array.from({ length: 101 }, (_, i) => `mon_${'a'.repeat(18)}${BASE32[Math.floor(i / 32)]}${BASE32[i % 32]}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.issues?.[0]).toEqual({ path: 'monitorIds', message: 'must name at most 100 monitors' });
    const idLike = await api.post<Problem>('/v1/status-pages', { key: 'sp_aaaaaaaaaaaaaaaaaaaa', slug: 'id-like', title: 'x', monitorIds: [] });
    expect(idLike.status).toBe(400);
    expect(idLike.body.issues?.[0]?.path).toBe('key');
  });

  it('are read by id and key, listed a page at a time, and written with revisions, If-Match and dry runs', async () => {
    const second = await api.post<StatusPage>('/v1/status-pages', { slug: 'internal', title: 'Internal', monitorIds: [otherMonitorId] });
    expect(second.status).toBe(201);
    const [page] = (await api.get<{ items: StatusPage[] }>('/v1/status-pages?key=public')).body.items;
    expect(page).toMatchObject({ key: 'public', slug: 'acme' });
    expect((await api.get<{ items: StatusPage[] }>(`/v1/status-pages?key=${second.body.id}`)).body.items.map((item) => item.id)).toEqual([second.body.id]);
    const first = await api.get<{ items: StatusPage[]; nextCursor: string | null }>('/v1/status-pages?limit=1');
    expect(first.body.items.map((item) => item.slug)).toEqual(['acme']);
    const rest = await api.get<{ items: StatusPage[]; nextCursor: string | null }>(`/v1/status-pages?limit=1&cursor=${first.body.nextCursor ?? ''}`);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ slug: 'internal' })], nextCursor: null });

    const dry = await api.request<{ dryRun: boolean; changes: unknown[] }>('PATCH', `/v1/status-pages/${second.body.id}?dryRun=true`, { title: 'Internal systems' });
    expect(dry.body).toMatchObject({ dryRun: true, changes: [{ path: 'title', before: 'Internal', after: 'Internal systems' }] });
    expect((await api.get<StatusPage>(`/v1/status-pages/${second.body.id}`)).body.revision).toBe(1);

    // The slug moves: the old address is free (and 404), the new one shows the page.
    const moved = await api.request<StatusPage>('PATCH', `/v1/status-pages/${second.body.id}`, { slug: 'internal-status' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.headers.get('etag')).toBe('"2"');
    expect((await anonymous.get('/status/internal.json')).status).toBe(404);
    expect((await anonymous.get<PublicPage>('/status/internal-status.json')).body.title).toBe('Internal');

    const stale = await fetch(`${coordinator.baseUrl}/v1/status-pages/${second.body.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ slug: 'internal', title: 'Lost', monitorIds: [] }),
    });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as Problem).currentRevision).toBe(2);

    // Scopes: no token is a 401; a read token reads but does not write.
    expect((await anonymous.get('/v1/status-pages')).status).toBe(401);
    const read = await api.post<{ token: string }>('/v1/tokens', { name: 'status-pages-reader', scope: 'read' });
    expect((await api.request('GET', '/v1/status-pages', undefined, { token: read.body.token })).status).toBe(200);
    expect((await api.request('POST', '/v1/status-pages', { slug: 'nope', title: 'x', monitorIds: [] }, { token: read.body.token })).status).toBe(403);

    expect((await api.request('DELETE', `/v1/status-pages/${second.body.id}`)).status).toBe(204);
    expect((await api.get(`/v1/status-pages/${second.body.id}`)).status).toBe(404);
    expect((await anonymous.get('/status/internal-status.json')).status).toBe(404);
  });

  it('show, without a token, the uptime below 100 % and the incident in words after the origin went down and came back', async () => {
    const results = async (): Promise<number> => (await api.get<{ items: unknown[] }>(`/v1/monitors/${monitorId}/results?limit=200`)).body.items.length;
    await waitUntil('three rounds answered by both regions', async () => ((await results()) >= 6 ? true : undefined), { timeoutMs: 30_000, intervalMs: 250 });
    originUp = false;
    const incidentId = await waitUntil(
      'an incident to open',
      async () => (await api.get<{ items: { id: string }[] }>(`/v1/incidents?monitorId=${monitorId}&state=open`)).body.items[0]?.id,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // While it is open: the page says so at the top, in words, and what is affected.
    const during = await waitUntil(
      'the public page to show the open incident',
      async () => {
        const answer = await anonymous.get<PublicPage>('/status/acme.json');
        // The first failing round may catch one region before the origin went down (a partial outage): wait for the whole outage.
        const [checkout] = answer.body.monitors;
        return checkout?.state === 'major_outage' && checkout.incidents[0]?.state === 'open' && checkout.incidents[0].classification === 'major_outage' ? answer.body : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(during.status).toEqual({ state: 'major_outage', label: 'Major outage' });
    expect(during.monitors[0]).toMatchObject({ state: 'major_outage', label: 'Major outage' });
    const outage = await browser.newPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    await outage.goto(`${coordinator.baseUrl}/status/acme`);
    await expect(outage.getByRole('heading', { level: 2, name: 'Major outage' }).count()).resolves.toBe(1);
    const ongoing = outage.getByRole('region', { name: 'Ongoing incidents' });
    await expect(ongoing.innerText()).resolves.toMatch(new RegExp(`Major outage\\s+Checkout API\\s+Ongoing\\s+Unavailable \\(${REGIONS.join(', ')}\\)\\.`));
    await expect(ongoing.innerText()).resolves.toMatch(/Status\s+Ongoing/);
    if (process.env['SCREENSHOTS_DIR']) {
      mkdirSync(process.env['SCREENSHOTS_DIR'], { recursive: true });
      await outage.screenshot({ path: join(process.env['SCREENSHOTS_DIR'], 'status-page-outage.png'), fullPage: true });
    }
    await outage.close();

    originUp = true;
    await waitUntil(
      'the incident to resolve',
      async () => ((await api.get<{ state: string }>(`/v1/incidents/${incidentId}`)).body.state === 'resolved' ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // The public view is rebuilt every few seconds: wait for one built after the incident resolved.
    const view = await waitUntil(
      'the public page to show the resolved incident',
      async () => {
        const answer = await anonymous.get<PublicPage>('/status/acme.json');
        return answer.body.monitors[0]?.incidents[0]?.state === 'resolved' ? answer : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(view.headers.get('cache-control')).toBe('public, max-age=30');
    const checkout = view.body.monitors[0]!;
    expect(view.body.monitors.map((monitor) => monitor.name)).toEqual(['Checkout API', 'Search']);
    expect(checkout.state).toBe('operational');
    expect(checkout.uptime.ratio).toBeGreaterThan(0);
    expect(checkout.uptime.ratio).toBeLessThan(1);
    expect(checkout.uptime.percent).toMatch(/^\d{1,2}\.\d{2}%$/);
    expect(checkout.days).toHaveLength(90);
    expect(checkout.days[89]!.label).toMatch(/: \d{1,2}\.\d{2}% uptime, (major|partial) outage$/);
    expect(checkout.incidents[0]).toMatchObject({ state: 'resolved', classification: 'major_outage', label: 'Major outage', affectedRegions: [...REGIONS] });
    expect(checkout.incidents[0]!.summary).toBe(`It was unavailable (${REGIONS.join(', ')}).`);

    const html = await fetch(`${coordinator.baseUrl}/status/acme`);
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('public, max-age=30');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // fetch takes gzip: the page goes compressed, and caches are told it varies with that.
    expect(html.headers.get('content-encoding')).toBe('gzip');
    expect(html.headers.get('vary')).toBe('Accept-Encoding');
    const source = await html.text();
    const json = JSON.stringify(view.body);
    for (const secret of [originUrl, ORIGIN_HOST, `:${new URL(originUrl).port}`, '/health', SECRET_HEADER.name, SECRET_HEADER.value, monitorId, otherMonitorId, 'http://', 'https://']) {
      expect(source, `the HTML shows ${secret}`).not.toContain(secret);
      expect(json, `the JSON shows ${secret}`).not.toContain(secret);
    }
    // What the owner wrote is escaped.
    expect(source).toContain('Our &lt;services&gt;');

    // A real browser, no token, no JavaScript needed: what a customer sees.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const response = await page.goto(`${coordinator.baseUrl}/status/acme`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Acme status');
    for (const landmark of ['banner', 'main', 'contentinfo'] as const) expect(await page.getByRole(landmark).count(), landmark).toBe(1);
    const text = await page.locator('main').innerText();
    const percent = /(\d{1,2}\.\d{2})%\s+uptime over the last 90 days/.exec(text);
    expect(percent, text).not.toBeNull();
    expect(Number(percent![1])).toBeLessThan(100);
    expect(Number(percent![1])).toBe(Math.floor(checkout.uptime.ratio! * 10_000) / 100);
    const past = page.getByRole('region', { name: 'Past incidents (last 90 days)' });
    await expect(past.innerText()).resolves.toContain('Major outage');
    await expect(past.innerText()).resolves.toContain(`It was unavailable (${REGIONS.join(', ')}).`);
    await expect(past.innerText()).resolves.toMatch(new RegExp(`Started\\s+\\d+ \\w{3} \\d{4}, \\d{2}:\\d{2} UTC\\s+Resolved\\s+\\d+ \\w{3} \\d{4}, \\d{2}:\\d{2} UTC\\s+Affected regions\\s+${REGIONS.join(', ')}`));
    const bars = page.getByRole('list', { name: 'Daily uptime of Checkout API, the last 90 days, oldest first' }).getByRole('listitem');
    expect(await bars.count()).toBe(90);
    await expect(bars.last().textContent()).resolves.toMatch(/uptime, (major|partial) outage$/);
    expect(await page.getByRole('heading', { level: 3, name: 'Checkout API', exact: true }).count()).toBe(1);
    expect(await page.content()).not.toContain(ORIGIN_HOST);
    const shots = process.env['SCREENSHOTS_DIR'];
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'status-page.png'), fullPage: true });
    }

    // A phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    // Expressions as text: the suites are compiled without the DOM's types.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    if (shots) await page.screenshot({ path: join(shots, 'status-page-phone.png'), fullPage: true });
    // The style sheet ran under the page's Content-Security-Policy, and nothing else was refused.
    expect(problems).toEqual([]);
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.bars')).display")).toBe('flex');
    await context.close();

    // A browser asking for an unknown page gets a page; a program, a problem.
    const missing = await browser.newPage();
    const notFound = await missing.goto(`${coordinator.baseUrl}/status/nowhere`);
    expect(notFound?.status()).toBe(404);
    await expect(missing.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('No status page here');
    await missing.close();
    const problem = await anonymous.get<Problem>('/status/nowhere');
    expect(problem.status).toBe(404);
    expect(problem.headers.get('content-type')).toContain('application/problem+json');
  });

  it('are rate limited per client address like every route', async () => {
    // From an address of its own, so the limit spent here is no other test's.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16, localAddress: '127.0.0.77' });
    const port = Number(new URL(coordinator.baseUrl).port);
    const get = () =>
      new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/status/acme.json', agent }, (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined }));
          })
          .on('error', reject);
      });
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let sent = 0; sent < RATE_LIMIT_PER_ADDRESS + 40 && !statuses.includes(429); sent += 20) {
        for (const answer of await Promise.all(Array.from({ length: 20 }, get))) {
          statuses.push(answer.status);
          retryAfter ??= answer.retryAfter;
        }
      }
      expect(statuses).toContain(429);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(RATE_LIMIT_PER_ADDRESS - 20);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another address is not held back.
      expect((await anonymous.get('/status/acme.json')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('keep working when a monitor they show is deleted: it leaves the page', async () => {
    expect((await api.request('DELETE', `/v1/monitors/${otherMonitorId}`)).status).toBe(204);
    const [page] = (await api.get<{ items: StatusPage[] }>('/v1/status-pages?key=public')).body.items;
    expect(page?.monitorIds).toEqual([monitorId]);
    const shown = await waitUntil(
      'the public page without the deleted monitor',
      async () => {
        const answer = await anonymous.get<PublicPage>('/status/acme.json');
        return answer.status === 200 && answer.body.monitors.length === 1 ? answer.body : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(shown.monitors.map((monitor) => monitor.name)).toEqual(['Checkout API']);
    // The page can be written again as it is shown: the deleted monitor is simply no longer on it.
    const rewritten = await api.request<StatusPage>('PUT', `/v1/status-pages/${page!.id}`, { key: 'public', slug: 'acme', title: 'Acme status', monitorIds: page!.monitorIds });
    expect(rewritten.status, JSON.stringify(rewritten.body)).toBe(200);
    expect(rewritten.body).toMatchObject({ revision: 2, monitorIds: [monitorId] });
  });
});
