/**
 * Paging the right people the way their tools expect (issue 12), end to end as separate processes on
 * real Redis: two coordinators sharing it, agents in three regions, a real origin behind real
 * Varnish (grace) for the masked outage, a plain origin for the rest, and local receivers that hold
 * every request to its vendor's published contract (PagerDuty Events v2, Slack Block Kit, a Teams
 * Workflows Adaptive Card 1.4, RFC 5322 mail over SMTP); see ./support/channel-receivers.ts.
 *
 * One system serves every case; the cases run at once, each on monitors of its own, and tell their
 * messages apart by the ids every message carries (the incident id is PagerDuty's dedup_key, in the
 * mail's Message-ID, and in the dashboard links of Slack and Teams messages).
 *
 *  a. a masked outage: exactly one PagerDuty trigger, then one resolve with the same dedup_key;
 *     Slack, Teams and email get it too, email threaded by Message-ID / In-Reply-To;
 *  b. routing: team=payments critical goes to PagerDuty, everything to Slack;
 *  c. a maintenance window over an origin failure sends nothing; the incident opens (and pages)
 *     when the window ends, started when the failure did;
 *  d. an acknowledged incident gets no reminders, an unacknowledged one gets them every 3 s, each
 *     sequence number once although two coordinators look;
 *  e. a receiver down (503) while an incident opens and resolves gets both, in order, once back.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagerDutyEvent, SlackMessage, TeamsMessage } from '@crosscheck/notify';
import {
  pagerDutyBodyViolations,
  slackBodyViolations,
  startPagerDutyReceiver,
  startSlackReceiver,
  startSmtpReceiver,
  startTeamsReceiver,
  teamsBodyViolations,
  type ChannelReceiver,
  type ReceivedMail,
  type SmtpReceiver,
} from './support/channel-receivers';
import { stopAllIntermediaries, varnishGraceEdge } from './support/intermediaries';
import { freePort, freePortOnAll, sleep, waitUntil } from './support/net';
import { startOrigin, type Origin } from './support/origin';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';

const TOKEN = 'e2e-token-notifications-0123456789';
const SUBNET = '127.0.92';
const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;
/** Where people open the dashboard: every link in a notification starts with it. */
const PUBLIC_URL = 'https://crosscheck.e2e.example';
const ROUTING_KEY = randomBytes(16).toString('hex');
const FLAKY_ROUTING_KEY = randomBytes(16).toString('hex');
const SMTP_AUTH = { username: 'crosscheck-e2e', password: `smtp-${randomBytes(12).toString('hex')}` };
const MAIL_FROM = 'crosscheck@example.com';
const MAIL_TO = ['oncall@example.com', 'payments-lead@example.com'];
/** Every second for half a minute: a receiver down for a few seconds is reached again at once. */
const RETRY_SCHEDULE = ['0', ...Array.from({ length: 29 }, () => '1s')].join(',');
const REMINDER_EVERY_MINUTES = 0.05;
const REMINDER_EVERY_MS = REMINDER_EVERY_MINUTES * 60_000;
/** How long a message may take to arrive once its event happened (rounds are 1 s, confirmation 2 rounds). */
const ARRIVES_WITHIN_MS = 20_000;
/** After the last expected message, how long a duplicate (a retry, a second coordinator) would take to show. */
const SETTLE_MS = 2_000;

interface IncidentView {
  id: string;
  monitorId: string;
  state: 'open' | 'resolved';
  classification: string;
  severity: string;
  affectedRegions: string[];
  startedAt: string;
  openedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

interface DeliveryItem {
  deliveryId: string;
  eventId: string;
  type: string;
  attempt: number;
  status: number | null;
  outcome: string;
}

let redis: SuiteRedis;
let coordinators: Coordinator[] = [];
let api: ApiClient;
let storefrontOrigin: Origin;
let appsOrigin: Server;
let appsUrl = '';
let edgePort = 0;
let pagerDuty: ChannelReceiver<PagerDutyEvent>;
let flakyPagerDuty: ChannelReceiver<PagerDutyEvent>;
let slack: ChannelReceiver<SlackMessage>;
let teams: ChannelReceiver<TeamsMessage>;
let smtp: SmtpReceiver;
/** Paths of the plain origin that answer 503 now. */
const failing = new Set<string>();
const channels: Record<'pagerduty' | 'flaky' | 'slack' | 'teams' | 'email', string> = { pagerduty: '', flaky: '', slack: '', teams: '', email: '' };
const monitors: Record<string, string> = {};

/**
 * What the test's channels take: the incident lifecycle and reminders. A region going blind (an agent
 * slowed by a loaded machine) is a monitoring problem, not the service's; counting it would make every
 * "exactly one" below depend on the machine's load.
 */
const INCIDENT_EVENTS = ['incident.opened', 'incident.updated', 'incident.resolved', 'incident.reminder'];

async function created<T = { id: string }>(path: string, body: unknown): Promise<T> {
  const response = await api.post<T>(path, body);
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(201);
  return response.body;
}

async function createMonitor(name: string, url: string, labels: Record<string, string>, direct: string[] = []): Promise<void> {
  const body = await created('/v1/monitors', {
    name,
    url,
    regions: [...REGIONS],
    intervalSeconds: 1,
    timeoutMs: 1_000,
    incidents: { openAfter: 2, resolveAfter: 2 },
    labels,
    ...(direct.length > 0 ? { channels: direct } : {}),
  });
  monitors[name] = body.id;
}

async function waitForIncident(name: string, state: 'open' | 'resolved', timeoutMs = ARRIVES_WITHIN_MS): Promise<IncidentView> {
  return waitUntil(
    `an ${state} incident of ${name}`,
    async () => (await api.get<{ items: IncidentView[] }>(`/v1/incidents?monitorId=${monitors[name]}&state=${state}`)).body.items[0],
    { timeoutMs, intervalMs: 100 },
  );
}

/** Every accepted PagerDuty event of one incident (its dedup_key), in arrival order. */
function pagerDutyEventsOf(receiver: ChannelReceiver<PagerDutyEvent>, incidentId: string): PagerDutyEvent[] {
  return receiver
    .received()
    .map((r) => r.body)
    .filter((event) => event.dedup_key === incidentId);
}

/** Every request to a receiver that names the monitor (its incident ids and dashboard links carry the monitor id). */
function about<T>(receiver: ChannelReceiver<T>, name: string): T[] {
  return receiver
    .received()
    .filter((r) => r.raw.includes(monitors[name]!))
    .map((r) => r.body);
}

function mailsOf(incidentId: string): ReceivedMail[] {
  return smtp.mails().filter((mail) => mail.messageId.startsWith(`<incident.${incidentId}`));
}

function anythingAbout(name: string, before = Infinity): string[] {
  const id = monitors[name]!;
  return [
    ...[pagerDuty, flakyPagerDuty, slack, teams].flatMap((receiver) => receiver.received().filter((r) => r.at < before && r.raw.includes(id)).map((r) => `${r.path}: ${r.raw}`)),
    ...smtp
      .mails()
      .filter((m) => m.at < before && (m.messageId.includes(id) || m.text.includes(id)))
      .map((m) => `mail ${m.messageId}: ${m.subject}\n${m.text}`),
  ];
}

function incidentLink(incidentId: string): string {
  return `${PUBLIC_URL}/#/incidents/${encodeURIComponent(incidentId)}`;
}

/** The Message-ID stamp of a reminder mail: `<incident.<id>.reminder-<sequence>.<due ms>@…>`. */
function reminderOf(mail: ReceivedMail, incidentId: string): { sequence: number; dueAt: number } | null {
  const match = new RegExp(`^<incident\\.${incidentId}\\.reminder-(\\d+)\\.(\\d+)@`).exec(mail.messageId);
  return match ? { sequence: Number(match[1]), dueAt: Number(match[2]) } : null;
}

beforeAll(async () => {
  // Its own Redis: other suites on the run's shared one create channels with the same keys.
  redis = await startSuiteRedis({ restartable: true, source: 'binary' });

  // The storefront: a real origin, and real Varnish (ttl 1 s, grace 1 h) in front of it on the same port.
  edgePort = await freePortOnAll([`${SUBNET}.10`, `${SUBNET}.11`]);
  storefrontOrigin = await startOrigin({ host: `${SUBNET}.10`, port: edgePort });
  const varnish = varnishGraceEdge(storefrontOrigin, { host: `${SUBNET}.11`, port: edgePort });

  // Everything else: one origin whose paths fail on demand.
  const appsPort = await freePort(`${SUBNET}.20`);
  appsOrigin = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (failing.has(path)) response.writeHead(503, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('database unavailable');
    else response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => appsOrigin.listen(appsPort, `${SUBNET}.20`, resolve));
  appsUrl = `http://${SUBNET}.20:${appsPort}`;

  [pagerDuty, flakyPagerDuty, slack, teams, smtp] = await Promise.all([
    startPagerDutyReceiver({ host: `${SUBNET}.31`, routingKey: ROUTING_KEY }),
    startPagerDutyReceiver({ host: `${SUBNET}.35`, routingKey: FLAKY_ROUTING_KEY }),
    startSlackReceiver({ host: `${SUBNET}.32` }),
    startTeamsReceiver({ host: `${SUBNET}.33` }),
    startSmtpReceiver({ host: `${SUBNET}.34`, auth: SMTP_AUTH }),
  ]);
  await varnish;

  const env = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE,
    // A receiver down on purpose must not open its circuit (a minute's cooldown): retries are what case e checks.
    WEBHOOK_CIRCUIT_THRESHOLD: '1000',
    WEBHOOK_TIMEOUT_MS: '2000',
    REMINDER_MIN_INTERVAL: '1s',
    REMINDERS_INTERVAL: '1s',
    MAINTENANCE_EVENTS_INTERVAL: '500ms',
    PUBLIC_URL,
  };
  // Two coordinators on one Redis from the start: every case also checks that nothing is sent twice.
  coordinators = await Promise.all(['a', 'b'].map((name) => startCoordinator({ redis: redis.target, token: TOKEN, name: `coordinator-notify-${name}`, env })));
  api = new ApiClient(coordinators[0]!.baseUrl, TOKEN);
  for (const region of REGIONS) {
    const via = region === 'ap-south' ? `${SUBNET}.10` : `${SUBNET}.11`;
    startAgent({ redis: redis.target, region, agentId: `${region}-notify`, resolve: `storefront.notify.test:${edgePort}:${via}` });
  }

  channels.pagerduty = (await created('/v1/channels', { type: 'pagerduty', key: 'payments-pagerduty', events: INCIDENT_EVENTS, name: 'Payments on-call', routingKey: ROUTING_KEY, endpointUrl: pagerDuty.url })).id;
  channels.flaky = (await created('/v1/channels', { type: 'pagerduty', key: 'checkout-pagerduty', events: INCIDENT_EVENTS, name: 'Checkout on-call', routingKey: FLAKY_ROUTING_KEY, endpointUrl: flakyPagerDuty.url })).id;
  channels.slack = (await created('/v1/channels', { type: 'slack', key: 'ops-slack', events: INCIDENT_EVENTS, name: '#ops-alerts', webhookUrl: slack.url })).id;
  channels.teams = (await created('/v1/channels', { type: 'teams', key: 'web-teams', events: INCIDENT_EVENTS, name: 'Web team', webhookUrl: teams.url })).id;
  channels.email = (await created('/v1/channels', {
    type: 'email',
    events: INCIDENT_EVENTS,
    key: 'oncall-email',
    name: 'On-call mail',
    smtp: { host: smtp.host, port: smtp.port, secure: false, username: SMTP_AUTH.username, password: SMTP_AUTH.password },
    from: MAIL_FROM,
    to: MAIL_TO,
  })).id;

  await created('/v1/policies', { key: 'payments-critical', name: 'Payments, critical', match: { labels: { team: 'payments' }, severities: ['critical'] }, channels: [channels.pagerduty] });
  await created('/v1/policies', { key: 'everything', name: 'Everything to #ops-alerts', channels: [channels.slack] });
  await created('/v1/policies', { key: 'ledger-reminders', name: 'Ledger, reminded', match: { labels: { team: 'ledger' } }, channels: [channels.email], reminder: { everyMinutes: REMINDER_EVERY_MINUTES } });

  await createMonitor('storefront', `http://storefront.notify.test:${edgePort}/`, { team: 'web' }, [channels.pagerduty, channels.teams, channels.email]);
  await createMonitor('payments-api', `${appsUrl}/payments`, { team: 'payments', env: 'prod' });
  await createMonitor('search-api', `${appsUrl}/search`, { team: 'search', env: 'prod' });
  await createMonitor('billing-batch', `${appsUrl}/billing`, { team: 'billing' }, [channels.pagerduty, channels.teams, channels.email]);
  await createMonitor('ledger-acked', `${appsUrl}/ledger-acked`, { team: 'ledger' });
  await createMonitor('ledger-open', `${appsUrl}/ledger-open`, { team: 'ledger' });
  await createMonitor('checkout', `${appsUrl}/checkout`, { team: 'checkout' }, [channels.flaky]);

  await Promise.all(
    Object.entries(monitors).map(([name, id]) =>
      waitUntil(
        `${name} up in every region`,
        async () => {
          const status = await api.get<{ regions: Record<string, { status: string }> }>(`/v1/monitors/${id}/status`);
          return REGIONS.every((region) => status.body.regions[region]?.status === 'up') ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      ),
    ),
  );
}, 90_000);

afterAll(async () => {
  await stopAllSystemProcesses();
  await stopAllIntermediaries();
  await storefrontOrigin?.close();
  await new Promise<void>((resolve) => (appsOrigin ? appsOrigin.close(() => resolve()) : resolve()));
  await Promise.all([pagerDuty?.close(), flakyPagerDuty?.close(), slack?.close(), teams?.close(), smtp?.close()]);
  await redis?.stop();
});

describe('channels', () => {
  it('are created without ever showing a secret, refuse bad input by field, preview and test through the queue', async () => {
    const list = await api.get<{ items: Array<{ id: string; type: string; secretHints: Record<string, string> }> }>('/v1/channels?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.id).sort()).toEqual(Object.values(channels).sort());
    const shown = JSON.stringify(list.body);
    for (const secret of [ROUTING_KEY, FLAKY_ROUTING_KEY, slack.url, teams.url, SMTP_AUTH.password]) expect(shown).not.toContain(secret);
    expect(list.body.items.find((c) => c.id === channels.pagerduty)?.secretHints['routingKey']).toMatch(new RegExp(`${ROUTING_KEY.slice(-4)}$`));

    const missing = await api.post<{ issues: Array<{ path: string }> }>('/v1/channels', { type: 'pagerduty', name: 'no key' });
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i) => i.path)).toContain('routingKey');
    const unknown = await api.post<{ issues: Array<{ path: string; message: string }> }>('/v1/policies', { name: 'dangling', channels: [channels.slack, 'ch_aaaaaaaaaaaaaaaaaaaa'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'channels.1' })]));

    // A preview is exactly what the channel would be sent: it meets the same contract.
    const slackPreview = await api.post<{ payload: unknown }>(`/v1/channels/${channels.slack}/preview`, { event: 'incident.opened' });
    expect(slackPreview.status).toBe(200);
    expect(slackBodyViolations(slackPreview.body.payload)).toEqual([]);
    const teamsPreview = await api.post<{ payload: unknown }>(`/v1/channels/${channels.teams}/preview`, { event: 'incident.opened' });
    expect(teamsBodyViolations(teamsPreview.body.payload)).toEqual([]);
    const pdPreview = await api.post<{ payload: PagerDutyEvent }>(`/v1/channels/${channels.pagerduty}/preview`, { event: 'incident.opened' });
    expect(pdPreview.body.payload.routing_key).not.toBe(ROUTING_KEY);
    expect(pdPreview.body.payload.routing_key.endsWith(ROUTING_KEY.slice(-4))).toBe(true);
    expect(pagerDutyBodyViolations({ ...pdPreview.body.payload, routing_key: ROUTING_KEY }, 0, ROUTING_KEY)).toEqual([]);

    // A test message goes through the same queue to the real receiver.
    const before = teams.received().length;
    const test = await api.post<{ eventId: string; deliveryId: string }>(`/v1/channels/${channels.teams}/test`, {});
    expect(test.status, JSON.stringify(test.body)).toBe(202);
    await waitUntil('the test message at the Teams receiver', async () => (teams.received().length > before ? true : undefined), { timeoutMs: 10_000 });
    expect(teams.refused()).toEqual([]);
  });
});

describe.concurrent('incidents, paged', () => {
  it('a: a masked outage is one PagerDuty trigger and one resolve with the same dedup_key; Slack, Teams and threaded email get it too', async () => {
    await storefrontOrigin.stop();
    const incident = await waitForIncident('storefront', 'open');
    expect(incident.classification).toBe('masked_outage');
    expect(incident.severity).toBe('critical');

    const trigger = await waitUntil('the PagerDuty trigger', async () => pagerDutyEventsOf(pagerDuty, incident.id).find((e) => e.event_action === 'trigger'), { timeoutMs: ARRIVES_WITHIN_MS });
    expect(trigger.routing_key).toBe(ROUTING_KEY);
    expect(trigger.dedup_key).toBe(incident.id);
    const payload = trigger.payload!;
    expect(payload.severity).toBe('critical');
    expect(payload.class).toBe('masked_outage');
    expect(payload.component).toBe('storefront');
    expect(payload.source).toContain('storefront.notify.test');
    expect(payload.group).toBe([...incident.affectedRegions].sort().join(','));
    expect(payload.summary.length).toBeLessThanOrEqual(1024);
    expect(payload.summary).toMatch(/storefront/);
    const regions = payload.custom_details['regions'] as Record<string, { verdict: string; causes: Array<{ code: string }> }>;
    expect(Object.keys(regions).sort()).toEqual([...REGIONS].sort());
    for (const region of ['eu-west', 'us-east']) expect(regions[region]?.causes.map((c) => c.code)).toContain('stale_cache');
    expect(regions['ap-south']?.causes.map((c) => c.code)).toContain('connection_refused');
    for (const region of REGIONS) expect(regions[region]?.verdict).toBe('down');
    expect(trigger.links?.map((l) => l.href)).toContain(incidentLink(incident.id));

    const opened = await waitUntil('the opening mail', async () => mailsOf(incident.id)[0], { timeoutMs: ARRIVES_WITHIN_MS });
    expect(opened.messageId).toMatch(new RegExp(`^<incident\\.${incident.id}@[A-Za-z0-9.-]+>$`));
    expect(opened.inReplyTo).toBeNull();
    expect(opened.from).toBe(MAIL_FROM);
    expect(opened.to).toEqual(MAIL_TO);
    expect(opened.envelope.to.sort()).toEqual([...MAIL_TO].sort());
    expect(opened.user).toBe(SMTP_AUTH.username);
    expect(opened.subject).toMatch(/storefront/);
    expect(opened.text).toContain(incidentLink(incident.id));
    expect(opened.html).toContain(incidentLink(incident.id));

    await storefrontOrigin.start();
    const resolve = await waitUntil('the PagerDuty resolve', async () => pagerDutyEventsOf(pagerDuty, incident.id).find((e) => e.event_action === 'resolve'), { timeoutMs: ARRIVES_WITHIN_MS });
    expect(resolve.dedup_key).toBe(trigger.dedup_key);
    const resolvedMail = await waitUntil('the resolution mail', async () => mailsOf(incident.id)[1], { timeoutMs: ARRIVES_WITHIN_MS });
    await waitUntil('Slack and Teams follow-ups', async () => (about(slack, 'storefront').length >= 2 && about(teams, 'storefront').length >= 2 ? true : undefined), {
      timeoutMs: ARRIVES_WITHIN_MS,
    });
    await sleep(SETTLE_MS);

    expect(pagerDutyEventsOf(pagerDuty, incident.id).map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    // Threaded: the resolution replies to the opening mail.
    expect(resolvedMail.messageId).not.toBe(opened.messageId);
    expect(resolvedMail.inReplyTo).toBe(opened.messageId);
    expect(resolvedMail.references).toContain(opened.messageId);
    expect(resolvedMail.subject).toMatch(/resolved/i);
    expect(mailsOf(incident.id)).toHaveLength(2);

    const slackMessages = about(slack, 'storefront');
    expect(slackMessages).toHaveLength(2);
    const header = slackMessages[0]!.blocks.find((b) => b.type === 'header');
    expect(header?.type === 'header' ? header.text.text : '').toMatch(/storefront/);
    expect(slackMessages[0]!.blocks.filter((b) => b.type === 'section' && b.fields !== undefined).length).toBeGreaterThanOrEqual(1);
    expect(slackMessages[1]!.text).toMatch(/resolved/i);
    const cards = about(teams, 'storefront').map((m) => m.attachments[0]!.content);
    expect(cards).toHaveLength(2);
    for (const card of cards) expect(card.version).toBe('1.4');
    expect(cards[1]!.body[0]?.type === 'TextBlock' ? cards[1]!.body[0].text : '').toMatch(/^Resolved/);
  });

  it('b: team=payments critical goes to PagerDuty and Slack, team=search to Slack only', async () => {
    failing.add('/payments');
    failing.add('/search');
    const [payments, search] = await Promise.all([waitForIncident('payments-api', 'open'), waitForIncident('search-api', 'open')]);
    expect(payments.severity).toBe('critical');
    expect(search.severity).toBe('critical');
    const trigger = await waitUntil('the payments trigger', async () => pagerDutyEventsOf(pagerDuty, payments.id)[0], { timeoutMs: ARRIVES_WITHIN_MS });
    expect(trigger.event_action).toBe('trigger');
    expect(trigger.payload?.component).toBe('payments-api');
    await waitUntil('both openings in Slack', async () => (about(slack, 'payments-api').length >= 1 && about(slack, 'search-api').length >= 1 ? true : undefined), {
      timeoutMs: ARRIVES_WITHIN_MS,
    });

    failing.delete('/payments');
    failing.delete('/search');
    await waitUntil('the payments resolve', async () => pagerDutyEventsOf(pagerDuty, payments.id).find((e) => e.event_action === 'resolve'), { timeoutMs: ARRIVES_WITHIN_MS });
    await waitUntil('both resolutions in Slack', async () => (about(slack, 'payments-api').length >= 2 && about(slack, 'search-api').length >= 2 ? true : undefined), {
      timeoutMs: ARRIVES_WITHIN_MS,
    });
    await sleep(SETTLE_MS);

    // One alert: triggered (again only if its summary changed, as a loaded machine's rounds may make it), then resolved.
    const paymentsActions = pagerDutyEventsOf(pagerDuty, payments.id).map((e) => e.event_action);
    expect(paymentsActions[0]).toBe('trigger');
    expect(paymentsActions.slice(1, -1).every((action) => action === 'trigger')).toBe(true);
    expect(paymentsActions.filter((action) => action === 'resolve')).toEqual(['resolve']);
    expect(paymentsActions.at(-1)).toBe('resolve');
    expect(about(pagerDuty, 'search-api')).toEqual([]);
    expect(about(slack, 'payments-api')).toHaveLength(2);
    expect(about(slack, 'search-api')).toHaveLength(2);
    // Neither is routed to Teams or email (those are named by other monitors only).
    expect([...about(teams, 'payments-api'), ...about(teams, 'search-api')]).toEqual([]);
    expect(smtp.mails().filter((m) => m.messageId.includes(monitors['payments-api']!) || m.messageId.includes(monitors['search-api']!))).toEqual([]);
  });

  it('c: a maintenance window over an origin failure sends nothing; when it ends with the failure holding, the incident opens and pages with its real start', async () => {
    const endsAt = Date.now() + 6_000;
    const window = await created<{ id: string; active: boolean }>('/v1/maintenance', { monitorIds: [monitors['billing-batch']], endsAt: new Date(endsAt).toISOString(), reason: 'ledger migration' });
    expect(window.active).toBe(true);
    const failedAt = Date.now();
    failing.add('/billing');

    // The window is the wait: nothing may arrive anywhere about billing-batch before it ends.
    await sleep(Math.max(0, endsAt - Date.now()));
    expect(anythingAbout('billing-batch', endsAt)).toEqual([]);
    expect((await api.get<{ items: IncidentView[] }>(`/v1/incidents?monitorId=${monitors['billing-batch']}`)).body.items).toEqual([]);
    const results = await api.get<{ items: Array<{ status: string; scheduledAt: string }> }>(`/v1/monitors/${monitors['billing-batch']}/results?limit=200`);
    expect(results.body.items.filter((r) => r.status === 'down' && Date.parse(r.scheduledAt) < endsAt).length).toBeGreaterThanOrEqual(2 * REGIONS.length);

    const incident = await waitForIncident('billing-batch', 'open');
    expect(Date.parse(incident.openedAt)).toBeGreaterThanOrEqual(endsAt);
    expect(Date.parse(incident.startedAt)).toBeLessThan(endsAt - 2_000);
    expect(Date.parse(incident.startedAt)).toBeGreaterThanOrEqual(failedAt - 1_000);
    const trigger = await waitUntil('the trigger after the window', async () => pagerDutyEventsOf(pagerDuty, incident.id)[0], { timeoutMs: ARRIVES_WITHIN_MS });
    expect(trigger.event_action).toBe('trigger');
    expect(trigger.payload?.custom_details['since']).toBe(incident.startedAt);
    await waitUntil('Slack, Teams and email after the window', async () => (about(slack, 'billing-batch').length > 0 && about(teams, 'billing-batch').length > 0 && mailsOf(incident.id).length > 0 ? true : undefined), {
      timeoutMs: ARRIVES_WITHIN_MS,
    });
    failing.delete('/billing');
  });

  it('d: an acknowledged incident gets no reminders; an unacknowledged one gets one every 3 s, each sequence number once across two coordinators', async () => {
    failing.add('/ledger-acked');
    failing.add('/ledger-open');
    const acked = await waitForIncident('ledger-acked', 'open');
    const ack = await api.post<IncidentView>(`/v1/incidents/${acked.id}/acknowledge`, { by: 'e2e on-call' });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body.acknowledgedBy).toBe('e2e on-call');
    const open = await waitForIncident('ledger-open', 'open');

    const reminders = () =>
      mailsOf(open.id)
        .map((mail) => reminderOf(mail, open.id))
        .filter((r): r is { sequence: number; dueAt: number } => r !== null);
    await waitUntil('three reminders of the unacknowledged incident', async () => (reminders().length >= 3 ? true : undefined), { timeoutMs: ARRIVES_WITHIN_MS + 4 * REMINDER_EVERY_MS });
    const ackAt = Date.now();
    expect((await api.post(`/v1/incidents/${open.id}/acknowledge`, { by: 'e2e on-call' })).status).toBe(200);
    // Two reminder intervals more: an acknowledgement stops them.
    await sleep(2 * REMINDER_EVERY_MS + SETTLE_MS);

    const seen = reminders();
    // Consecutive, each once: a coordinator sends the reminder due now, never a backlog, so the first seen may be past 1 on a slow start.
    expect(seen.map((r) => r.sequence)).toEqual(seen.map((_, i) => seen[0]!.sequence + i));
    expect(new Set(mailsOf(open.id).map((m) => m.messageId)).size).toBe(mailsOf(open.id).length);
    for (const [i, reminder] of seen.entries()) {
      if (i > 0) expect(reminder.dueAt - seen[i - 1]!.dueAt).toBeGreaterThanOrEqual(REMINDER_EVERY_MS - 500);
      expect(reminder.dueAt).toBeLessThan(ackAt + 500);
    }
    // The acknowledged one was routed the same way (its opening mail came), and reminded never.
    expect(mailsOf(acked.id).length).toBeGreaterThanOrEqual(1);
    expect(mailsOf(acked.id).filter((mail) => reminderOf(mail, acked.id) !== null)).toEqual([]);
    expect(anythingAbout('ledger-acked').filter((line) => /reminder|not acknowledged/i.test(line))).toEqual([]);
    failing.delete('/ledger-acked');
    failing.delete('/ledger-open');
  });

  it('e: a receiver down (503) while an incident opens and resolves gets both once it is back, in order, once each', async () => {
    await flakyPagerDuty.setMode('unavailable');
    failing.add('/checkout');
    const incident = await waitForIncident('checkout', 'open');
    await waitUntil('a refused trigger attempt', async () => (flakyPagerDuty.turnedAway().some((t) => (t.json as PagerDutyEvent | undefined)?.dedup_key === incident.id) ? true : undefined), {
      timeoutMs: ARRIVES_WITHIN_MS,
    });
    // Other channels are not held up by this one.
    await waitUntil('the opening in Slack', async () => (about(slack, 'checkout').length > 0 ? true : undefined), { timeoutMs: ARRIVES_WITHIN_MS });

    failing.delete('/checkout');
    await waitForIncident('checkout', 'resolved');
    const refusedSoFar = flakyPagerDuty.turnedAway().length;
    await waitUntil('retries going on while it is down', async () => (flakyPagerDuty.turnedAway().length >= refusedSoFar + 2 ? true : undefined), { timeoutMs: 10_000 });
    expect(flakyPagerDuty.received().filter((r) => r.body.dedup_key === incident.id)).toEqual([]);

    const deliveries = await api.get<{ items: DeliveryItem[] }>(`/v1/channels/${channels.flaky}/deliveries?limit=100`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items.some((d) => d.status === 503 && d.outcome === 'retrying')).toBe(true);

    const backAt = Date.now();
    await flakyPagerDuty.setMode('up');
    await waitUntil('the resolve, once back', async () => pagerDutyEventsOf(flakyPagerDuty, incident.id).find((e) => e.event_action === 'resolve'), { timeoutMs: 15_000 });
    await sleep(SETTLE_MS);
    const received = flakyPagerDuty.received().filter((r) => r.body.dedup_key === incident.id);
    expect(received.map((r) => r.body.event_action)).toEqual(['trigger', 'resolve']);
    expect(received.every((r) => r.at >= backAt)).toBe(true);
    expect(received[0]!.body.routing_key).toBe(FLAKY_ROUTING_KEY);
    const after = await api.get<{ items: DeliveryItem[] }>(`/v1/channels/${channels.flaky}/deliveries?limit=100`);
    expect(after.body.items.filter((d) => d.outcome === 'succeeded').length).toBeGreaterThanOrEqual(2);
  });
});

describe('afterwards', () => {
  it('no receiver refused a single request, and no coordinator crashed', () => {
    expect(pagerDuty.refused()).toEqual([]);
    expect(flakyPagerDuty.refused()).toEqual([]);
    expect(slack.refused()).toEqual([]);
    expect(teams.refused()).toEqual([]);
    expect(smtp.refused()).toEqual([]);
    for (const coordinator of coordinators) expect(coordinator.running(), coordinator.tail()).toBe(true);
  });
});
