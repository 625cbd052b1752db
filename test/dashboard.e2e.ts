/**
 * The dashboard in a real headless Chromium, against the real system: Redis, a coordinator serving
 * the built app at `/`, agents in three regions and the demo's lying world (a shop origin behind two
 * caching edges). A person signs in with a read token, sees the grid, the origin dies, and the grid
 * and the monitor's page show the masked outage region by region (who gets a cached 200, what the
 * cache-bypassing request saw), its latency charts drawn from the rollups' series and its 90-day
 * uptime below 100 % with today's bar saying outage; the incident opens with its timeline. Also: keyboard-only use, a
 * 390 px phone without horizontal scrolling, the API's own validation messages in the monitor form,
 * and the page's CSP holding (no violation, no uncaught error). Then a Slack channel pointed at a
 * local receiver: its page draws the message the API previews as Slack would (the masked outage's
 * header, fields two to a row), a test message is delivered and shows in its log; the policies page
 * names it; the monitor page shows its labels and a maintenance window in effect and one to come.
 * Screenshots go to SCREENSHOTS_DIR.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SeriesReport, UptimeReport } from '@crosscheck/contract';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REGIONS, World } from '../apps/demo/src/world';
import { formatPercent, formatTime } from '../apps/web/src/words/format';
import { focused, goToFragment, horizontalOverflow, launchBrowser, openPage, screenshot, sessionValue, tabStops, type PageProblems } from './support/browser';
import { waitUntil } from './support/net';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const ADMIN_TOKEN = 'dashboard-e2e-admin-token-0123456789';
const SUBNET = '127.0.91';
/** The grid and the monitor page read every 5 s; a state change shows within two reads. */
const SHOWN_WITHIN_MS = 30_000;

let redis: SuiteRedis;
let world: World;
let coordinator: Coordinator;
let api: ApiClient;
let browser: Browser;
let receiver: WebhookReceiver;
let slack: SlackReceiver;
let readToken = '';
let writeToken = '';
const monitors: Record<'shop' | 'www', { id: string; name: string }> = { shop: { id: '', name: '' }, www: { id: '', name: '' } };
const opened: { context: BrowserContext; problems: PageProblems }[] = [];
let channelId = '';

/** A fresh tab (its own session storage) at the dashboard. */
async function tab(viewport?: { width: number; height: number }): Promise<Page> {
  const { context, page, problems } = await openPage(browser, viewport);
  opened.push({ context, problems });
  await page.goto(`${coordinator.baseUrl}/`);
  return page;
}

/** Signs a tab in through the form, as a person would. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

async function makeToken(scope: 'read' | 'write'): Promise<string> {
  const made = await api.post<{ token: string }>('/v1/tokens', { name: `dashboard-e2e-${scope}`, scope });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.token;
}

/** A Slack incoming webhook on loopback: keeps every JSON body posted, answers `ok` as Slack does. */
interface SlackReceiver {
  url: string;
  bodies: unknown[];
  close(): Promise<void>;
}

async function startSlackReceiver(host: string): Promise<SlackReceiver> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/services/T000/B000/e2e`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function row(page: Page, monitorId: string) {
  return page.locator(`tr[data-monitor-id="${monitorId}"]`);
}

beforeAll(async () => {
  redis = await startSuiteRedis();
  world = await World.start({ subnet: SUBNET, shopMaxAgeSeconds: 2, lbHealthCheckIntervalMs: 500, edgeOriginTimeoutMs: 1_000 });
  coordinator = await startCoordinator({ redis: redis.target, token: ADMIN_TOKEN, name: 'coordinator-dashboard' });
  api = new ApiClient(coordinator.baseUrl, ADMIN_TOKEN);
  for (const region of DEMO_REGIONS) {
    startAgent({ redis: redis.target, region, agentId: `dashboard-${region}`, resolve: world.resolveFor(region).join(',') });
  }
  for (const monitor of world.monitors().filter((candidate) => candidate.site === 'shop' || candidate.site === 'www')) {
    const labels = monitor.site === 'www' ? { labels: { team: 'web', env: 'prod' } } : {};
    const body = { name: monitor.name, url: monitor.url, regions: [...DEMO_REGIONS], intervalSeconds: 1, timeoutMs: 2_000, ...monitor.spec, ...labels };
    const created = await api.post<{ id: string }>('/v1/monitors', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    monitors[monitor.site as 'shop' | 'www'] = { id: created.body.id, name: monitor.name };
  }
  [readToken, writeToken] = await Promise.all([makeToken('read'), makeToken('write')]);
  receiver = await startWebhookReceiver({ host: `${SUBNET}.80` });
  const hook = await api.post<{ secret: string }>('/v1/webhooks', { url: receiver.url, description: 'on-call pager' });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  receiver.setSecret(hook.body.secret);
  slack = await startSlackReceiver(`${SUBNET}.81`);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const { context } of opened) await context.close().catch(() => undefined);
  await browser?.close();
  await stopAllSystemProcesses();
  await world?.stop();
  await receiver?.close();
  await slack?.close();
  await redis?.stop();
});

describe('the dashboard', () => {
  let page: Page;

  it('is served at / under its CSP, and refuses a wrong token with the API’s words', async () => {
    const index = await fetch(`${coordinator.baseUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    page = await tab();
    await page.getByLabel('API token').fill('cct_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/refused this token: 401 Unauthorized: invalid bearer token/);
  });

  it('signs in with a read token, kept in session storage and never in the URL, and shows the grid', async () => {
    await signIn(page, readToken);
    expect(page.url()).not.toContain(readToken);
    expect(await sessionValue(page, 'crosscheck.token')).toBe(readToken);
    for (const { id } of Object.values(monitors)) {
      await row(page, id).locator('.classification-cell .badge', { hasText: 'Operational' }).waitFor({ timeout: SHOWN_WITHIN_MS });
    }
    const header = await page.locator('table.grid thead th').allTextContents();
    expect(header).toEqual(['Monitor', 'Classification', ...[...DEMO_REGIONS].sort()]);
    for (const region of DEMO_REGIONS) {
      await expect(row(page, monitors.shop.id).locator(`td[data-region="${region}"] .badge`).textContent()).resolves.toContain('Up');
    }
    // A reload keeps the tab signed in (session storage), on the same page.
    await page.reload();
    await row(page, monitors.shop.id).waitFor();
  });

  it('shows the masked outage when the origin dies: which regions get a cached 200, and what the bypass saw', async () => {
    await world.originDown();
    const shop = row(page, monitors.shop.id);
    await shop.locator('.classification-cell .badge', { hasText: 'Masked outage' }).waitFor({ timeout: SHOWN_WITHIN_MS });
    for (const region of ['eu-west', 'us-east']) {
      const cell = shop.locator(`td[data-region="${region}"]`);
      await expect(cell.locator('.masked-200').textContent()).resolves.toMatch(/cached 200/);
      await expect(cell.locator('.bypass-failed').textContent()).resolves.toMatch(/bypass: 502 \(nginx error page\)/);
    }
    await expect(shop.locator('td[data-region="ap-south"]').textContent()).resolves.toMatch(/Down.*connection refused/);
    await expect(shop.locator('.classification-cell').textContent()).resolves.toMatch(/a CDN hides a real outage/);
    // The other monitor is untouched, and the filters narrow the grid to the outage.
    await expect(row(page, monitors.www.id).locator('.classification-cell .badge').textContent()).resolves.toContain('Operational');
    await screenshot(page, 'dashboard-grid-masked-outage');
    await page.getByLabel('Classification', { exact: true }).selectOption('masked_outage');
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    expect(page.url()).toContain('classification=masked_outage');
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await row(page, monitors.www.id).waitFor();
  });

  it('explains the masked outage region by region on the monitor page, with latency charts and uptime from the rollups', async () => {
    // What the page itself was answered, to hold its figures against (rounds keep coming every second).
    const answers: { uptime: UptimeReport[]; latency: SeriesReport[] } = { uptime: [], latency: [] };
    const listen = (response: Response): void => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith(`/v1/monitors/${monitors.shop.id}/`) || response.status() !== 200) return;
      if (url.pathname.endsWith('/uptime') && url.searchParams.get('window') === '90d') void response.json().then((body: UptimeReport) => answers.uptime.push(body));
      if (url.pathname.endsWith('/series') && url.searchParams.get('window') === '1h') void response.json().then((body: SeriesReport) => answers.latency.push(body));
    };
    page.on('response', listen);
    await page.getByRole('link', { name: monitors.shop.name }).click();
    await page.getByRole('heading', { level: 1, name: monitors.shop.name }).waitFor();
    const explanation = page.getByTestId('masked-explanation');
    await explanation.waitFor({ timeout: SHOWN_WITHIN_MS });
    await expect(explanation.textContent()).resolves.toMatch(
      /eu-west and us-east get a cached 200 while the cache-bypassing request got 502 \(nginx error page\); ap-south sees the origin down \(connection refused\)/,
    );
    const table = page.locator('table.regions-table').first();
    for (const region of ['eu-west', 'us-east']) {
      const line = await table.locator(`tr[data-region="${region}"]`).textContent();
      expect(line).toMatch(/cached 200, origin failing behind it/);
      expect(line).toMatch(/✕ 502 \(nginx error page\)/);
    }
    // Every cause with its evidence: the stale cache, with the bypass request's status behind it.
    const euWest = page.locator('section.region-card[data-region="eu-west"]');
    await expect(euWest.locator('.cause').first().textContent()).resolves.toMatch(/stale cache.*bypass request status\s*502/s);
    await expect(euWest.locator('.facts').first().textContent()).resolves.toMatch(/x-cache: STALE/i);
    await expect(page.locator('section.region-card[data-region="ap-south"] .cause').first().textContent()).resolves.toMatch(/connection refused/);

    // One latency chart per region, drawn (uPlot's canvas) from the last hour's series of one-minute steps.
    await page.locator('figure.chart canvas').nth(DEMO_REGIONS.length - 1).waitFor({ timeout: 10_000 });
    await expect(page.locator('figure.chart').count()).resolves.toBe(DEMO_REGIONS.length);
    const direct = await api.get<SeriesReport>(`/v1/monitors/${monitors.shop.id}/series?window=1h&step=1m`);
    expect(direct.status).toBe(200);
    for (const region of DEMO_REGIONS) {
      const chart = page.locator(`figure.chart[data-region="${region}"]`);
      await expect(chart.getAttribute('data-source')).resolves.toBe('series');
      const measuredIn = (report: SeriesReport) => report.points.filter((point) => point.regions[region]?.latencyMs != null);
      await waitUntil(
        `${region}'s chart to count the measured steps of the page's latest series`,
        async () => {
          const drawn = answers.latency.at(-1);
          return drawn && (await chart.getAttribute('data-measured')) === String(measuredIn(drawn).length) && (await chart.getAttribute('data-points')) === String(drawn.points.length) ? true : undefined;
        },
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      expect(direct.body.points).toHaveLength(60);
      const firstMeasured = measuredIn(direct.body)[0];
      expect(firstMeasured, `${region} has a measured step in the last hour`).toBeDefined();
      expect(Date.parse((await chart.getAttribute('data-first-measured-at')) ?? '')).toBe(Date.parse(firstMeasured!.at));
      await expect(chart.locator('figcaption').textContent()).resolves.toMatch(/p50 and p95 of \d+ of the 60 one-minute steps of the last hour/);
    }

    // 90-day uptime: the page's figure is the API's, below 100 % after the masked outage.
    const section = page.locator('section[aria-labelledby="uptime-heading"]');
    const figure = section.locator('.uptime-figure');
    await figure.waitFor();
    let shown: UptimeReport | undefined;
    await waitUntil(
      'the uptime figure to be the one the page was answered',
      async () => {
        shown = answers.uptime.at(-1);
        return shown && (await figure.textContent()) === formatPercent(shown.uptimeRatio) && (await figure.getAttribute('data-ratio')) === String(shown.uptimeRatio) ? true : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    expect(shown!.uptimeRatio).toBeLessThan(1);
    expect(shown!.rounds.down).toBeGreaterThan(0);
    const now = await api.get<UptimeReport>(`/v1/monitors/${monitors.shop.id}/uptime?window=90d`);
    expect(now.status).toBe(200);
    expect(now.body.uptimeRatio).toBeLessThan(1);
    expect(now.body.rounds.down).toBeGreaterThanOrEqual(shown!.rounds.down);
    // 90 bars, one per UTC day; today's, the last, says the outage in words.
    const bars = section.locator('button.uptime-day');
    await expect(bars.count()).resolves.toBe(90);
    const today = bars.last();
    await expect(today.getAttribute('aria-current')).resolves.toBe('date');
    await expect(today.getAttribute('aria-label')).resolves.toMatch(/^\d{4}-\d\d-\d\d \(today\): [\d.]+ % up \(\d+ of \d+ rounds\); worst: (masked |regional )?outage/);
    const detail = page.getByTestId('uptime-day-detail');
    await expect(detail.textContent()).resolves.toMatch(/\(today\).*outage/);
    await screenshot(page, 'dashboard-monitor-masked-outage');
    // One tab stop for the bars; the arrow keys walk the days and the detail follows.
    await today.focus();
    await page.keyboard.press('ArrowLeft');
    const yesterday = await bars.nth(88).getAttribute('data-day');
    await detail.filter({ hasText: new RegExp(`^${yesterday}: `) }).waitFor({ timeout: 5_000 });
    page.off('response', listen);
  });

  it('opens the incident with its timeline; a read token’s acknowledge is refused with the API’s problem', async () => {
    await page.getByRole('link', { name: 'Open the incident' }).click();
    await page.getByRole('heading', { level: 1, name: `Masked outage of ${monitors.shop.name}` }).waitFor();
    const opening = page.locator('.timeline-entry').first();
    await expect(opening.locator('h3').textContent()).resolves.toMatch(/^Opened/);
    await expect(opening.locator('tbody tr').count()).resolves.toBe(DEMO_REGIONS.length);
    await expect(opening.locator('.callout').textContent()).resolves.toMatch(/eu-west and us-east get a cached 200/);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/403 Forbidden: this route needs the "write" scope; the token has "read"/);
  });

  it('acknowledges the incident with a write token, and the timeline shows it', async () => {
    const writer = await tab();
    await signIn(writer, writeToken);
    const incident = await api.get<{ items: { id: string }[] }>(`/v1/incidents?monitorId=${monitors.shop.id}&state=open`);
    await goToFragment(writer, `#/incidents/${incident.body.items[0]!.id}`);
    await writer.getByLabel('Your name (optional)').fill('e2e on call');
    await writer.getByRole('button', { name: 'Acknowledge' }).click();
    await writer.locator('.timeline-entry', { hasText: 'Acknowledged by e2e on call' }).waitFor({ timeout: 10_000 });
    await screenshot(writer, 'dashboard-incident');
  });

  it('shows regions and agents, and a webhook’s deliveries with its test and retry actions', async () => {
    const writer = await tab();
    await signIn(writer, writeToken);
    await writer.getByRole('link', { name: 'Regions and agents' }).click();
    await writer.getByText('Every region has a live agent (3 regions').waitFor({ timeout: 10_000 });
    await expect(writer.locator('section[aria-labelledby="agents-heading"] tbody tr', { hasText: 'Live' }).count()).resolves.toBe(DEMO_REGIONS.length);
    await writer.getByRole('link', { name: 'Webhooks' }).click();
    await writer.getByRole('link', { name: 'on-call pager' }).click();
    const deliveries = writer.locator('section[aria-labelledby="deliveries-heading"] tbody tr');
    await deliveries.filter({ hasText: 'incident.opened' }).filter({ hasText: 'succeeded' }).first().waitFor({ timeout: SHOWN_WITHIN_MS });
    await writer.getByRole('button', { name: 'Send a test event' }).click();
    await writer.getByText(/^test event queued/).waitFor();
    await deliveries.filter({ hasText: 'webhook.test' }).filter({ hasText: 'succeeded' }).first().waitFor({ timeout: SHOWN_WITHIN_MS });
    // A retry resends the same webhook-id: the receiver sees one more attempt of an event it has.
    const before = receiver.attempts();
    await writer.getByRole('button', { name: /^Retry delivery of incident\.opened/ }).first().click();
    await writer.getByText(/queued again$/).waitFor();
    await waitUntil('the retried delivery at the receiver', async () => (receiver.attempts() > before ? true : undefined), { timeoutMs: 10_000, intervalMs: 100 });
    expect(receiver.rejected()).toEqual([]);
  });

  it('reaches the main actions with the keyboard alone', async () => {
    const keyboard = await tab();
    await signIn(keyboard, readToken);
    await keyboard.reload();
    await row(keyboard, monitors.shop.id).waitFor();
    const stops = await tabStops(keyboard, 16);
    const texts = stops.map((stop) => stop.text);
    expect(texts[0]).toBe('Skip to content');
    for (const action of ['Monitors', 'Incidents', 'Regions and agents', 'Channels', 'Policies', 'Webhooks', 'Sign out', 'New monitor', 'Name, URL or key', 'Classification', 'Region']) {
      expect(texts, `Tab reaches ${action}`).toContain(action);
    }
    // From the top again, Tab to the shop's link; Enter opens its page with the focus on its heading; Tab then reaches its actions.
    await keyboard.reload();
    await row(keyboard, monitors.shop.id).waitFor();
    for (let index = 0; index < 30 && (await focused(keyboard)).text !== monitors.shop.name; index++) await keyboard.keyboard.press('Tab');
    await keyboard.keyboard.press('Enter');
    await keyboard.getByRole('heading', { level: 1, name: monitors.shop.name }).waitFor();
    await waitUntil('the heading to take the focus', async () => ((await focused(keyboard)).tag === 'h1' ? true : undefined), { timeoutMs: 5_000, intervalMs: 100 });
    await keyboard.getByRole('link', { name: 'Open the incident' }).waitFor({ timeout: SHOWN_WITHIN_MS });
    const onPage = (await tabStops(keyboard, 4)).map((stop) => stop.text);
    expect(onPage).toContain('Edit monitor');
    expect(onPage).toContain('Open the incident');
    // From the top of a page, Tab then Enter on the skip link puts the focus on the content.
    await keyboard.reload();
    await keyboard.getByRole('heading', { level: 1 }).waitFor();
    await keyboard.keyboard.press('Tab');
    await keyboard.keyboard.press('Enter');
    expect((await focused(keyboard)).id).toBe('main');
  });

  it('fits a 390 px phone: no horizontal scrolling on the grid, the monitor or the incident', async () => {
    const phone = await tab({ width: 390, height: 844 });
    await signIn(phone, readToken);
    await row(phone, monitors.shop.id).locator('.classification-cell .badge', { hasText: 'Masked outage' }).waitFor({ timeout: SHOWN_WITHIN_MS });
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'dashboard-grid-phone');
    await phone.getByRole('link', { name: monitors.shop.name }).click();
    await phone.getByTestId('masked-explanation').waitFor({ timeout: SHOWN_WITHIN_MS });
    await phone.locator('figure.chart canvas').first().waitFor({ timeout: 10_000 });
    expect(await horizontalOverflow(phone)).toBe(0);
    await phone.getByRole('link', { name: 'Open the incident' }).click();
    await phone.locator('.timeline-entry').first().waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
  });

  it('shows the API’s own validation message next to the URL of a new monitor; creates and edits one', async () => {
    const form = await tab();
    await signIn(form, writeToken);
    await form.getByRole('link', { name: 'New monitor' }).click();
    await form.getByRole('heading', { level: 1, name: 'New monitor' }).waitFor();
    await form.getByLabel('Name', { exact: true }).fill('a bad one');
    await form.getByLabel('URL', { exact: true }).fill('not a url');
    await form.getByLabel('Regions', { exact: true }).fill('eu-west');
    await form.getByRole('button', { name: 'Create monitor' }).click();
    const message = form.locator('#error-url');
    await message.waitFor();
    // The very words of the API's 400 for the same body.
    const refused = await new ApiClient(coordinator.baseUrl, writeToken).post<{ issues: { path: string; message: string }[] }>('/v1/monitors?dryRun=true', {
      name: 'a bad one',
      url: 'not a url',
      regions: ['eu-west'],
      intervalSeconds: 60,
      method: 'GET',
    });
    expect(refused.status).toBe(400);
    const expected = refused.body.issues.find((issue) => issue.path === 'url')?.message;
    expect(expected).toBeTruthy();
    await expect(message.textContent()).resolves.toContain(expected);
    await expect(form.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await focused(form)).text).toContain('The API refused the monitor');
    // Fixed, it is created, and its page opens.
    await form.getByLabel('URL', { exact: true }).fill(world.urlOf('www', '/health'));
    await form.getByRole('button', { name: 'Create monitor' }).click();
    await form.getByRole('heading', { level: 1, name: 'a bad one' }).waitFor();
    const made = await api.get<{ items: { id: string; name: string; revision: number; spec: { url: string } }[] }>('/v1/monitors?limit=50');
    const created = made.body.items.find((item) => item.name === 'a bad one');
    expect(created?.spec.url).toBe(world.urlOf('www', '/health'));
    // Edited: GET, change, PUT with If-Match; what the form does not show is kept.
    await form.getByRole('link', { name: 'Edit monitor' }).click();
    await form.getByLabel('Name', { exact: true }).fill('a good one');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('heading', { level: 1, name: 'a good one' }).waitFor();
    const edited = await api.get<{ name: string; revision: number; spec: { url: string } }>(`/v1/monitors/${created!.id}`);
    expect(edited.body).toMatchObject({ name: 'a good one', revision: created!.revision + 1, spec: { url: world.urlOf('www', '/health') } });
  });

  it('signs a tab out, saying why, when its token is revoked', async () => {
    const made = await api.post<{ id: string; token: string }>('/v1/tokens', { name: 'dashboard-e2e-revoked', scope: 'read' });
    const revoked = await tab();
    await signIn(revoked, made.body.token);
    await row(revoked, monitors.shop.id).waitFor();
    expect((await api.request('DELETE', `/v1/tokens/${made.body.id}`)).status).toBe(204);
    await revoked.getByText('The coordinator no longer accepts this tab’s token (401): sign in again.').waitFor({ timeout: SHOWN_WITHIN_MS });
    await revoked.getByLabel('API token').waitFor();
    expect(await sessionValue(revoked, 'crosscheck.token')).toBeNull();
  });

  it('shows a Slack channel: the preview drawn as Slack would, a test message delivered and in its log, and fits a phone', async () => {
    const made = await api.post<{ id: string; secretHints: Record<string, string> }>('/v1/channels', { type: 'slack', key: 'ops-slack', name: 'Ops Slack', webhookUrl: slack.url });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    channelId = made.body.id;
    const preview = await api.post<{ type: string; payload: { text: string; blocks: { type: string; text?: { text: string }; fields?: unknown[] }[] } }>(`/v1/channels/${channelId}/preview`, {
      event: 'incident.opened',
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const header = preview.body.payload.blocks.find((block) => block.type === 'header')?.text?.text;
    expect(header).toMatch(/^Masked outage/);

    const writer = await tab();
    await signIn(writer, writeToken);
    await writer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
    await writer.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
    const listed = writer.locator(`tr[data-channel-id="${channelId}"]`);
    await expect(listed.locator('td[data-label="Type"]').textContent()).resolves.toContain('Slack');
    await expect(listed.locator('td[data-label="Key"]').textContent()).resolves.toBe('ops-slack');
    await expect(listed.locator('td[data-label="Secrets"]').textContent()).resolves.toBe(`webhookUrl ${made.body.secretHints['webhookUrl']}`);
    await expect(listed.textContent()).resolves.not.toContain(slack.url);

    await listed.getByRole('link', { name: 'Ops Slack' }).click();
    await writer.getByRole('heading', { level: 1, name: 'Ops Slack' }).waitFor();
    // The message drawn as Slack shows it: the API's header word for word, each region's fields two to a row.
    const drawn = writer.locator('figure[data-preview-type="slack"]');
    await drawn.locator('.bk-header').waitFor({ timeout: 10_000 });
    await expect(drawn.locator('.bk-header').textContent()).resolves.toBe(header);
    const sectionsWithFields = preview.body.payload.blocks.filter((block) => block.type === 'section' && (block.fields?.length ?? 0) > 0);
    expect(sectionsWithFields.length).toBeGreaterThan(0);
    await expect(drawn.locator('.bk-fields').count()).resolves.toBe(sectionsWithFields.length);
    // Two to a row: the first two fields side by side, the third under the first.
    const [first, second, third] = await Promise.all([0, 1, 2].map((n) => drawn.locator('.bk-fields').first().locator('.bk-field').nth(n).boundingBox()));
    expect(second!.y).toBe(first!.y);
    expect(second!.x).toBeGreaterThan(first!.x + first!.width);
    expect(third!.x).toBe(first!.x);
    expect(third!.y).toBeGreaterThan(first!.y);
    // mrkdwn's *bold* is bold, not asterisks; the buttons are links to the dashboard.
    await expect(drawn.locator('.bk-field strong').first().textContent()).resolves.toMatch(/^\w+$/);
    for (const field of await drawn.locator('.bk-field').allTextContents()) expect(field).not.toMatch(/\*\w+\*/);
    await expect(drawn.locator('.bk-actions a').first().getAttribute('href')).resolves.toMatch(/^https?:\/\/.*#\/incidents\//);
    await expect(drawn.locator('details.raw-json pre').textContent()).resolves.toContain('"blocks"');
    await screenshot(writer, 'slack-preview', drawn.locator('.slack-message'));

    await writer.getByRole('button', { name: 'Send a test message' }).click();
    const queued = writer.getByText(/^test event queued \(/);
    await queued.waitFor();
    const eventId = /\((.+)\)$/.exec((await queued.textContent()) ?? '')?.[1];
    expect(eventId).toBeTruthy();
    const delivered = writer.locator('section[aria-labelledby="deliveries-heading"] tbody tr[data-outcome="succeeded"]', { hasText: eventId! });
    await delivered.waitFor({ timeout: SHOWN_WITHIN_MS });
    await expect(delivered.locator('td[data-label="Answer"]').textContent()).resolves.toMatch(/^200 in /);
    await waitUntil('the test message at the Slack receiver', async () => (slack.bodies.length > 0 ? true : undefined), { timeoutMs: 5_000, intervalMs: 100 });
    expect(slack.bodies[0]).toMatchObject({ text: expect.any(String) });

    const phone = await tab({ width: 390, height: 844 });
    await signIn(phone, writeToken);
    await goToFragment(phone, `#/channels/${channelId}`);
    await phone.locator('figure[data-preview-type="slack"] .bk-header').waitFor({ timeout: 10_000 });
    expect(await horizontalOverflow(phone)).toBe(0);
  });

  it('lists the policies with what they match and their channels by name', async () => {
    const made = await api.post<{ id: string }>('/v1/policies', {
      key: 'web-prod-critical',
      name: 'Web prod, critical',
      match: { labels: { team: 'web', env: 'prod' }, severities: ['critical'] },
      channels: [channelId],
      reminder: { everyMinutes: 15 },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const page = await tab();
    await signIn(page, readToken);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).click();
    const policy = page.locator(`tr[data-policy-id="${made.body.id}"]`);
    await policy.waitFor({ timeout: 10_000 });
    await expect(policy.locator('td[data-label="Labels"] .label-chip').allTextContents()).resolves.toEqual(['env= is prod', 'team= is web']);
    await expect(policy.locator('td[data-label="Severities"]').textContent()).resolves.toBe('critical');
    await expect(policy.locator('td[data-label="Channels"]').getByRole('link', { name: 'Ops Slack' }).getAttribute('href')).resolves.toBe(`#/channels/${channelId}`);
    await expect(policy.locator('td[data-label="Reminders and escalation"]').textContent()).resolves.toBe('remind every 15 min while unacknowledged; no escalation');
  });

  it('shows a monitor’s labels, the maintenance window in effect as a banner, and the one to come', async () => {
    const now = await api.post<{ id: string; current: { endsAt: string } }>('/v1/maintenance', { monitorIds: [monitors.www.id], durationMinutes: 30, reason: 'e2e: patching the web tier' });
    expect(now.status, JSON.stringify(now.body)).toBe(201);
    const later = await api.post<{ id: string }>('/v1/maintenance', {
      labels: { team: 'web' },
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      durationMinutes: 60,
      reason: 'e2e: tomorrow’s database upgrade',
    });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    // A window for other labels does not show.
    const elsewhere = await api.post<{ id: string }>('/v1/maintenance', { labels: { team: 'payments' }, durationMinutes: 30, reason: 'e2e: not this monitor' });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(201);

    const page = await tab();
    await signIn(page, readToken);
    await goToFragment(page, `#/monitors/${monitors.www.id}`);
    await page.getByRole('heading', { level: 1, name: monitors.www.name }).waitFor();
    await expect(page.locator('.monitor-labels .label-chip').allTextContents()).resolves.toEqual(['env= is prod', 'team= is web']);
    const banner = page.getByTestId('maintenance-banner');
    await banner.waitFor({ timeout: 10_000 });
    await expect(banner.textContent()).resolves.toContain(`Under maintenance until ${formatTime(now.body.current.endsAt)}: e2e: patching the web tier`);
    const windows = page.locator('section[aria-labelledby="maintenance-heading"] tbody tr');
    await expect(windows.count()).resolves.toBe(2);
    await expect(page.locator(`tr[data-window-id="${now.body.id}"] td[data-label="State"]`).textContent()).resolves.toContain('In effect');
    await expect(page.locator(`tr[data-window-id="${later.body.id}"] td[data-label="State"]`).textContent()).resolves.toContain('Upcoming');
    await expect(page.locator(`tr[data-window-id="${later.body.id}"] td[data-label="Covers by"]`).textContent()).resolves.toBe('labels team=web');
    await screenshot(page, 'dashboard-monitor-maintenance');
  });

  it('left no CSP violation and no uncaught error in any tab', () => {
    for (const { problems } of opened) {
      expect(problems.cspViolations).toEqual([]);
      expect(problems.errors).toEqual([]);
    }
  });
});
