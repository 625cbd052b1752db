import { API_RESPONSE_SCHEMAS, WEBHOOK_EVENT_SCHEMAS, type ApiResponseSchemaName } from '@crosscheck/contract';
import { checkJobIdFor, RESULT_JOB_NAME, type CheckJob } from '@crosscheck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { TestWebhookReceiver } from '../testing/webhook-receiver';

/** An agent whose every answer is `down` (a 503), so its monitor's rounds open an incident. */
class DownRegionAgent extends FakeRegionAgent {
  override async answer(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, jobId = checkJobIdFor(job.roundId, job.region)): Promise<string> {
    await this.resultQueue.add(RESULT_JOB_NAME, fakeResult(job, this.agentId, 'down'), { jobId });
    return jobId;
  }
}

type Json = { [key: string]: unknown };

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
}

/**
 * Real answers of every route, each parsed with the schema the served document names for its
 * route and status (the registry's zod schema behind that component). Parsing must succeed and
 * keep every member: a field the server sends that the schema lacks (stripped by the parse), a
 * type that changed, or a route documenting the wrong schema fails here. Errors must be
 * `application/problem+json` problems.
 */
describe('responses conform to the schemas the document names', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;
  let document: OpenApiDocument;
  const receiver = new TestWebhookReceiver();
  const [upRegion, downRegion] = [randomRegion('conf-up'), randomRegion('conf-down')];
  let agents: FakeRegionAgent[] = [];
  const checked = new Set<string>();

  /** The component schema the document gives for `method template` answering `status`. */
  function documentedSchema(method: string, template: string, status: number, contentType: string): { name: ApiResponseSchemaName; schema: z.ZodType; mediaType: string } {
    const operation = document.paths[template]?.[method.toLowerCase()];
    if (operation === undefined) throw new Error(`the document has no ${method} ${template}`);
    let response = operation.responses[String(status)];
    if (response === undefined) throw new Error(`${method} ${template} documents no ${status}`);
    if (response.$ref !== undefined) response = document.components.responses[response.$ref.split('/').pop() ?? ''] ?? {};
    // An answer documented in several media types (a 404 in HTML to a browser, a problem to anyone else): the one it came in.
    const media = Object.entries(response.content ?? {});
    const [mediaType, medium] = media.find(([type]) => contentType.startsWith(type)) ?? media[0] ?? [];
    const name = medium?.schema?.$ref?.split('/').pop() as ApiResponseSchemaName | undefined;
    if (mediaType === undefined || name === undefined || !(name in API_RESPONSE_SCHEMAS)) {
      throw new Error(`${method} ${template} ${status} names no schema of the registry`);
    }
    return { name, schema: API_RESPONSE_SCHEMAS[name], mediaType };
  }

  /**
   * Sends a request, expects `status`, and checks its body against the documented schema: it
   * parses, and parsing it changes nothing (no unknown member stripped, no default filled in).
   */
  async function conform<T = Json>(method: string, template: string, path: string, status: number, init: RequestInit & { json?: unknown } = {}): Promise<T> {
    const response = await coordinator.request(path, { ...init, method });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBe(status);
    const { name, schema, mediaType } = documentedSchema(method, template, status, response.headers.get('content-type') ?? '');
    expect(response.headers.get('content-type'), `${method} ${path}`).toContain(mediaType);
    // `/metrics` and the status pages for people answer text (their schemas strings); everything else JSON.
    const body = (mediaType.startsWith('text/') ? text : JSON.parse(text)) as unknown;
    const parsed = schema.safeParse(body);
    expect(parsed.error?.issues ?? [], `${method} ${path} as ${name}`).toEqual([]);
    expect(parsed.data, `${method} ${path}: members ${name} does not know, or values it changes`).toEqual(body);
    checked.add(`${method} ${template} ${status}`);
    return body as T;
  }

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url, webhookRetryScheduleMs: [0, 200, 200] });
    await receiver.start();
    agents = [new FakeRegionAgent(upRegion, `agent-${upRegion}`, redis.url).start(), new DownRegionAgent(downRegion, `agent-${downRegion}`, redis.url).start()];
    document = (await (await fetch(`${coordinator.baseUrl}/docs-json`)).json()) as OpenApiDocument;
  }, 30_000);

  afterAll(async () => {
    await coordinator?.close();
    await Promise.all(agents.map((agent) => agent.close()));
    await receiver.close();
    await redis?.destroy();
  });

  it('monitors, their status and results, incidents, and the events webhooks receive', async () => {
    const hook = await conform<{ id: string; secret: string }>('POST', '/v1/webhooks', '/v1/webhooks', 201, { json: { url: receiver.url('/ok?conformance'), description: 'conformance' } });
    receiver.secrets.set('/ok?conformance', hook.secret);

    const body = { name: 'conformance', url: 'https://example.test/health', regions: [downRegion, upRegion], intervalSeconds: 1, incidents: { openAfter: 1, resolveAfter: 1 } };
    // A dry run of the create: every field listed as a change, nothing stored.
    const dryCreate = await conform<{ changes: { path: string }[] }>('POST', '/v1/monitors', '/v1/monitors?dryRun=true', 200, { json: { ...body, key: 'conformance' } });
    expect(dryCreate.changes.map((change) => change.path)).toEqual(expect.arrayContaining(['key', 'intervalSeconds', 'spec.url']));
    const monitor = await conform<{ id: string; key: string; revision: number }>('POST', '/v1/monitors', '/v1/monitors', 201, { json: { ...body, key: 'conformance' } });
    const id = monitor.id;
    expect(monitor).toMatchObject({ key: 'conformance', revision: 1 });
    await conform('GET', '/v1/monitors', '/v1/monitors?limit=5', 200);
    const byKey = await conform<{ items: { id: string }[] }>('GET', '/v1/monitors', '/v1/monitors?key=conformance', 200);
    expect(byKey.items.map((item) => item.id)).toEqual([id]);
    await conform('GET', '/v1/monitors/{id}', `/v1/monitors/${id}`, 200);
    const replaced = { ...body, regions: [downRegion], name: 'conformance (down only)' };
    const dryReplace = await conform<{ dryRun: boolean; changes: { path: string }[] }>('PUT', '/v1/monitors/{id}', `/v1/monitors/${id}?dryRun=true`, 200, {
      json: replaced,
      headers: { 'if-match': '"1"' },
    });
    expect(dryReplace.dryRun).toBe(true);
    expect(dryReplace.changes.map((change) => change.path)).toEqual(expect.arrayContaining(['name']));
    await conform('PUT', '/v1/monitors/{id}', `/v1/monitors/${id}`, 200, { json: replaced, headers: { 'if-match': '"1"' } });
    // The revision read before that PUT is stale now: 412, saying where the monitor is.
    const stale = await conform<Json>('PATCH', '/v1/monitors/{id}', `/v1/monitors/${id}`, 412, { json: { name: 'lost update' }, headers: { 'if-match': '"1"' } });
    expect(stale).toMatchObject({ status: 412, type: 'urn:crosscheck:problem:precondition-failed', currentRevision: 2 });
    await conform('PATCH', '/v1/monitors/{id}', `/v1/monitors/${id}`, 200, {
      json: { expect: { status: [200], json: [{ path: '$.status', op: 'equals', value: 'ok' }] }, headers: { 'x-probe': 'conformance' } },
    });
    // Before the first round, then with an incident open.
    await conform('GET', '/v1/monitors/{id}/status', `/v1/monitors/${id}/status`, 200);
    const incidentId = await eventually(
      async () => (await (await coordinator.request(`/v1/incidents?monitorId=${id}&state=open`)).json() as { items: { id: string }[] }).items[0]?.id,
      15_000,
      'an incident opened',
    );
    await conform('GET', '/v1/monitors/{id}/status', `/v1/monitors/${id}/status`, 200);
    await conform('GET', '/v1/monitors/{id}/results', `/v1/monitors/${id}/results?limit=20`, 200);
    await conform('GET', '/v1/monitors/{id}/baselines', `/v1/monitors/${id}/baselines`, 200);
    // Every monitor's state in one request (the dashboard's grid), with this one's incident open.
    const fleet = await conform<{ items: { monitorId: string; incident: { id: string } | null }[] }>('GET', '/v1/status', '/v1/status?limit=200', 200);
    expect(fleet.items.find((item) => item.monitorId === id)?.incident?.id).toBe(incidentId);
    // Its rounds so far, rolled up: an outage in the down region.
    const uptime = await conform<{ rounds: { counted: number; down: number } }>('GET', '/v1/monitors/{id}/uptime', `/v1/monitors/${id}/uptime?window=1h`, 200);
    expect(uptime.rounds.down).toBeGreaterThan(0);
    await conform('GET', '/v1/monitors/{id}/uptime', `/v1/monitors/${id}/uptime`, 200);
    const series = await conform<{ points: { rounds: number }[] }>('GET', '/v1/monitors/{id}/series', `/v1/monitors/${id}/series?window=1h&step=1m`, 200);
    expect(series.points).toHaveLength(60);
    await conform('GET', '/v1/monitors/{id}/series', `/v1/monitors/${id}/series?window=365d`, 200);
    await conform('GET', '/v1/monitors/{id}/series', `/v1/monitors/${id}/series?window=7d&step=1m`, 400);
    await conform('GET', '/v1/incidents', `/v1/incidents?monitorId=${id}`, 200);
    await conform('GET', '/v1/incidents/{id}', `/v1/incidents/${incidentId}`, 200);
    const acknowledged = await conform<{ acknowledgedBy: string | null; timeline: { type: string }[] }>(
      'POST',
      '/v1/incidents/{id}/acknowledge',
      `/v1/incidents/${incidentId}/acknowledge`,
      200,
      { json: { by: 'conformance' } },
    );
    expect(acknowledged.acknowledgedBy).toBe('conformance');
    expect(acknowledged.timeline.map((entry) => entry.type)).toContain('acknowledged');
    await conform('GET', '/v1/monitors/{id}/status', `/v1/monitors/${id}/status`, 200);

    // The incident's event as the receiver got it, checked against its webhook schema in the document.
    const opened = await eventually(async () => receiver.requests.find((request) => JSON.parse(request.body).type === 'incident.opened'), 15_000, 'incident.opened delivered');
    const event = JSON.parse(opened.body) as unknown;
    const parsedEvent = WEBHOOK_EVENT_SCHEMAS['incident.opened'].safeParse(event);
    expect(parsedEvent.error?.issues ?? []).toEqual([]);
    expect(parsedEvent.data).toEqual(event);
    expect(Object.keys((document as unknown as { webhooks: Json }).webhooks)).toContain('incident.opened');

    // Deleting the monitor resolves its incident (monitor_deleted), an event of its own.
    const deleted = await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const resolved = await eventually(async () => receiver.requests.find((request) => JSON.parse(request.body).type === 'incident.resolved'), 15_000, 'incident.resolved delivered');
    const resolvedEvent = JSON.parse(resolved.body) as unknown;
    expect(WEBHOOK_EVENT_SCHEMAS['incident.resolved'].parse(resolvedEvent)).toEqual(resolvedEvent);
    await conform('GET', '/v1/incidents/{id}', `/v1/incidents/${incidentId}`, 200);
  }, 60_000);

  it('webhooks: endpoints, test deliveries, the delivery log, retries, replays, secret rotation', async () => {
    const hook = await conform<{ id: string; secret: string }>('POST', '/v1/webhooks', '/v1/webhooks', 201, { json: { url: receiver.url('/ok?webhooks'), events: ['incident.opened'] } });
    receiver.secrets.set('/ok?webhooks', hook.secret);
    await conform('GET', '/v1/webhooks', '/v1/webhooks', 200);
    await conform('GET', '/v1/webhooks', `/v1/webhooks?key=${hook.id}`, 200);
    await conform('GET', '/v1/webhooks/{id}', `/v1/webhooks/${hook.id}`, 200);
    await conform('POST', '/v1/webhooks', '/v1/webhooks?dryRun=true', 200, { json: { key: 'conformance-hook', url: receiver.url('/ok?dry') } });
    const dryPatch = await conform<{ changes: { path: string }[] }>('PATCH', '/v1/webhooks/{id}', `/v1/webhooks/${hook.id}?dryRun=true`, 200, { json: { description: 'dry' } });
    expect(dryPatch.changes).toEqual([{ path: 'description', before: null, after: 'dry' }]);
    await conform('PATCH', '/v1/webhooks/{id}', `/v1/webhooks/${hook.id}`, 200, { json: { description: 'changed' }, headers: { 'if-match': '"1"' } });
    const stale = await conform<Json>('PATCH', '/v1/webhooks/{id}', `/v1/webhooks/${hook.id}`, 412, { json: { description: 'lost' }, headers: { 'if-match': '"1"' } });
    expect(stale['currentRevision']).toBe(2);
    const test = await conform<{ eventId: string; deliveryId: string }>('POST', '/v1/webhooks/{id}/test', `/v1/webhooks/${hook.id}/test`, 202);
    const received = await eventually(async () => receiver.requestsOf(test.eventId)[0], 10_000, 'the test delivery');
    const testEvent = JSON.parse(received.body) as unknown;
    expect(WEBHOOK_EVENT_SCHEMAS['webhook.test'].parse(testEvent)).toEqual(testEvent);
    await eventually(
      async () => ((await (await coordinator.request(`/v1/webhooks/${hook.id}/deliveries/${test.deliveryId}`)).json()) as { state: string }).state === 'delivered' || undefined,
      10_000,
      'the test delivery recorded',
    );
    await conform('GET', '/v1/webhooks/{id}/deliveries/{deliveryId}', `/v1/webhooks/${hook.id}/deliveries/${test.deliveryId}`, 200);
    await conform('GET', '/v1/webhooks/{id}/deliveries', `/v1/webhooks/${hook.id}/deliveries`, 200);
    await conform('POST', '/v1/webhooks/{id}/deliveries/{deliveryId}/retry', `/v1/webhooks/${hook.id}/deliveries/${test.deliveryId}/retry`, 202);
    await conform('POST', '/v1/webhooks/{id}/replay', `/v1/webhooks/${hook.id}/replay`, 202, { json: { since: '2026-01-01T00:00:00Z' } });
    await conform('POST', '/v1/webhooks/{id}/rotate-secret', `/v1/webhooks/${hook.id}/rotate-secret`, 200, { json: { overlapSeconds: 60 } });
    // Disabled through the API: the log shows the endpoint's change of state among the attempts.
    await conform('PATCH', '/v1/webhooks/{id}', `/v1/webhooks/${hook.id}`, 200, { json: { enabled: false } });
    const log = await conform<{ items: { type: string }[] }>('GET', '/v1/webhooks/{id}/deliveries', `/v1/webhooks/${hook.id}/deliveries`, 200);
    expect(log.items.map((entry) => entry.type)).toContain('webhook.disabled');
    await conform('POST', '/v1/webhooks/{id}/test', `/v1/webhooks/${hook.id}/test`, 409);
    expect((await coordinator.request(`/v1/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(204);
  }, 60_000);

  it('channels and policies: CRUD, test, preview, the delivery log, retries and replays', async () => {
    const slack = await conform<{ id: string; secretHints: Record<string, string> }>('POST', '/v1/channels', '/v1/channels', 201, {
      json: { type: 'slack', key: 'conformance-slack', name: '#ops', webhookUrl: receiver.url('/plain?slack-hook-9f2c') },
    });
    expect(slack.secretHints).toEqual({ webhookUrl: '…9f2c' });
    const pd = await conform<{ id: string }>('POST', '/v1/channels', '/v1/channels', 201, {
      json: { type: 'pagerduty', name: 'on-call', routingKey: 'a'.repeat(32), endpointUrl: receiver.url('/plain?pd') },
    });
    await conform('POST', '/v1/channels', '/v1/channels?dryRun=true', 200, { json: { type: 'teams', name: 'dry', webhookUrl: receiver.url('/ok?teams') } });
    const bad = await conform<{ issues: { path: string }[] }>('POST', '/v1/channels', '/v1/channels', 400, { json: { type: 'pagerduty', name: 'no key' } });
    expect(bad.issues.map((issue) => issue.path)).toContain('routingKey');
    await conform('POST', '/v1/channels', '/v1/channels', 409, { json: { type: 'slack', key: 'conformance-slack', name: 'again', webhookUrl: receiver.url('/ok?x') } });
    await conform('GET', '/v1/channels', '/v1/channels', 200);
    await conform('GET', '/v1/channels', '/v1/channels?type=pagerduty', 200);
    await conform('GET', '/v1/channels/{id}', `/v1/channels/${slack.id}`, 200);
    await conform('PATCH', '/v1/channels/{id}', `/v1/channels/${slack.id}?dryRun=true`, 200, { json: { name: '#ops-dry' } });
    await conform('PATCH', '/v1/channels/{id}', `/v1/channels/${slack.id}`, 200, { json: { name: '#ops-alerts' }, headers: { 'if-match': '"1"' } });
    await conform('PATCH', '/v1/channels/{id}', `/v1/channels/${slack.id}`, 412, { json: { name: 'lost' }, headers: { 'if-match': '"1"' } });
    const preview = await conform<{ payload: { blocks: unknown[] } }>('POST', '/v1/channels/{id}/preview', `/v1/channels/${slack.id}/preview`, 200, { json: { event: 'incident.opened' } });
    expect(preview.payload.blocks.length).toBeGreaterThan(1);
    await conform('POST', '/v1/channels/{id}/preview', `/v1/channels/${pd.id}/preview`, 400, { json: { event: 'nope' } });
    const test = await conform<{ deliveryId: string }>('POST', '/v1/channels/{id}/test', `/v1/channels/${slack.id}/test`, 202);
    await eventually(
      async () => ((await (await coordinator.request(`/v1/channels/${slack.id}/deliveries/${test.deliveryId}`)).json()) as { state: string }).state === 'delivered' || undefined,
      10_000,
      'the test message delivered',
    );
    await conform('GET', '/v1/channels/{id}/deliveries/{deliveryId}', `/v1/channels/${slack.id}/deliveries/${test.deliveryId}`, 200);
    await conform('GET', '/v1/channels/{id}/deliveries', `/v1/channels/${slack.id}/deliveries`, 200);
    await conform('POST', '/v1/channels/{id}/deliveries/{deliveryId}/retry', `/v1/channels/${slack.id}/deliveries/${test.deliveryId}/retry`, 202);
    await conform('POST', '/v1/channels/{id}/replay', `/v1/channels/${slack.id}/replay`, 202, { json: { since: '2026-01-01T00:00:00Z' } });
    // /v1/webhooks shows webhooks only.
    await conform('GET', '/v1/webhooks/{id}', `/v1/webhooks/${slack.id}`, 404);

    const policy = await conform<{ id: string }>('POST', '/v1/policies', '/v1/policies', 201, {
      json: { key: 'payments', name: 'payments critical', match: { labels: { team: 'payments' }, severities: ['critical'] }, channels: [pd.id], reminder: { everyMinutes: 30 } },
    });
    await conform('POST', '/v1/policies', '/v1/policies?dryRun=true', 200, { json: { name: 'everything', default: true, channels: [slack.id] } });
    const unknown = await conform<{ issues: { path: string }[] }>('POST', '/v1/policies', '/v1/policies', 400, { json: { name: 'x', channels: [slack.id, 'ch_aaaaaaaaaaaaaaaaaaaa'] } });
    expect(unknown.issues.map((issue) => issue.path)).toEqual(['channels.1']);
    await conform('POST', '/v1/policies', '/v1/policies', 201, { json: { name: 'everything', default: true, channels: [slack.id] } });
    await conform('POST', '/v1/policies', '/v1/policies', 409, { json: { name: 'second default', default: true, channels: [slack.id] } });
    await conform('GET', '/v1/policies', '/v1/policies', 200);
    await conform('GET', '/v1/policies/{id}', `/v1/policies/${policy.id}`, 200);
    await conform('PATCH', '/v1/policies/{id}', `/v1/policies/${policy.id}`, 200, { json: { reminder: null } });
    await conform('PATCH', '/v1/policies/{id}', `/v1/policies/${policy.id}?dryRun=true`, 200, { json: { name: 'dry' } });
    expect((await coordinator.request(`/v1/policies/${policy.id}`, { method: 'DELETE' })).status).toBe(204);
    await conform('GET', '/v1/policies/{id}', `/v1/policies/${policy.id}`, 404);
    expect((await coordinator.request(`/v1/channels/${pd.id}`, { method: 'DELETE' })).status).toBe(204);
    await conform('GET', '/v1/channels/{id}', `/v1/channels/${pd.id}`, 404);
  }, 60_000);

  it('regions, tokens, agents, health, stats and secrets', async () => {
    const region = randomRegion('conf-new');
    // With its agents' credentials (the default), shown this once, and new ones on rotation.
    const created = await conform<{ agent?: { region: string } }>('POST', '/v1/regions', '/v1/regions', 201, { json: { name: region } });
    expect(created.agent?.region).toBe(region);
    const rotated = await conform<{ agent: { region: string } }>('POST', '/v1/regions/{name}/rotate-credentials', `/v1/regions/${region}/rotate-credentials`, 200);
    expect(rotated.agent.region).toBe(region);
    await conform('GET', '/v1/regions', '/v1/regions', 200);
    await conform('GET', '/v1/regions/{name}', `/v1/regions/${region}`, 200);
    await conform('POST', '/v1/regions', '/v1/regions', 409, { json: { name: region } });
    expect((await coordinator.request(`/v1/regions/${region}`, { method: 'DELETE' })).status).toBe(204);

    const token = await conform<{ id: string; token: string }>('POST', '/v1/tokens', '/v1/tokens', 201, { json: { name: 'conformance', scope: 'read' } });
    await conform('GET', '/v1/tokens', '/v1/tokens', 200);
    await conform('GET', '/v1/tokens/{id}', `/v1/tokens/${token.id}`, 200);

    // The configuration apply lock: taken, seen, refused to a second taker, renewed, released.
    const lock = await conform<{ token: string }>('POST', '/v1/apply-lock', '/v1/apply-lock', 201, { json: { holder: 'conformance' } });
    await conform('GET', '/v1/apply-lock', '/v1/apply-lock', 200);
    const held = await conform<{ lock?: unknown }>('POST', '/v1/apply-lock', '/v1/apply-lock', 409, { json: { holder: 'second' } });
    expect(held.lock).toMatchObject({ holder: 'conformance' });
    await conform('PUT', '/v1/apply-lock/{token}', `/v1/apply-lock/${lock.token}`, 200, { json: { ttlSeconds: 60 } });
    expect((await coordinator.request(`/v1/apply-lock/${lock.token}`, { method: 'DELETE' })).status).toBe(204);
    await conform('DELETE', '/v1/apply-lock/{token}', `/v1/apply-lock/${lock.token}`, 404);
    await conform('GET', '/v1/apply-lock', '/v1/apply-lock', 200);

    await conform('GET', '/v1/agents', '/v1/agents', 200);
    await conform('GET', '/v1/stats', '/v1/stats', 200);
    await conform('POST', '/v1/secrets/reseal', '/v1/secrets/reseal', 200);
    const health = await coordinator.request('/health');
    await conform('GET', '/health', '/health', health.status);
    await conform('GET', '/health', '/health', health.status, { headers: { authorization: 'Bearer not-a-token' } });
    await conform('GET', '/metrics', '/metrics', 200);

    // A read token may not write: 403, a problem.
    await conform('POST', '/v1/monitors', '/v1/monitors', 403, { json: {}, headers: { authorization: `Bearer ${token.token}` } });
    expect((await coordinator.request(`/v1/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(204);
  }, 60_000);

  it('status pages: the resource, and the public pages without a token', async () => {
    const monitor = await conform<{ id: string }>('POST', '/v1/monitors', '/v1/monitors', 201, {
      json: { name: 'conformance page', url: 'https://example.test/page', regions: [upRegion], intervalSeconds: 3_600 },
    });
    const body = { key: 'conformance-page', slug: 'conformance', title: 'Conformance', monitorIds: [monitor.id] };
    const dry = await conform<{ changes: { path: string }[] }>('POST', '/v1/status-pages', '/v1/status-pages?dryRun=true', 200, { json: body });
    expect(dry.changes.map((change) => change.path)).toEqual(['key', 'slug', 'title', 'description', 'monitorIds.0']);
    const page = await conform<{ id: string; revision: number }>('POST', '/v1/status-pages', '/v1/status-pages', 201, { json: body });
    await conform('POST', '/v1/status-pages', '/v1/status-pages', 409, { json: { ...body, key: 'another' } });
    const unknown = await conform<{ issues: { path: string }[] }>('POST', '/v1/status-pages', '/v1/status-pages', 400, {
      json: { ...body, key: 'unknown', slug: 'unknown', monitorIds: [monitor.id, 'mon_aaaaaaaaaaaaaaaaaaaa'] },
    });
    expect(unknown.issues.map((issue) => issue.path)).toEqual(['monitorIds.1']);
    await conform('GET', '/v1/status-pages', '/v1/status-pages', 200);
    const byKey = await conform<{ items: { id: string }[] }>('GET', '/v1/status-pages', '/v1/status-pages?key=conformance-page', 200);
    expect(byKey.items.map((item) => item.id)).toEqual([page.id]);
    await conform('GET', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}`, 200);
    await conform('PUT', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}?dryRun=true`, 200, { json: { ...body, title: 'Dry' }, headers: { 'if-match': '"1"' } });
    await conform('PUT', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}`, 200, { json: { ...body, description: 'Ours' }, headers: { 'if-match': '"1"' } });
    await conform('PATCH', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}`, 412, { json: { title: 'lost' }, headers: { 'if-match': '"1"' } });
    await conform('PATCH', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}`, 200, { json: { title: 'Conformance status' } });
    await conform('PATCH', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}?dryRun=true`, 200, { json: { description: null } });

    // Public: no token at all.
    const anonymous = { headers: { authorization: '' } };
    const view = await conform<{ monitors: { name: string }[] }>('GET', '/status/{slug}.json', '/status/conformance.json', 200, anonymous);
    expect(view.monitors.map((shown) => shown.name)).toEqual(['conformance page']);
    const html = await conform<string>('GET', '/status/{slug}', '/status/conformance', 200, anonymous);
    expect(html).toContain('Conformance status');
    await conform('GET', '/status/{slug}.json', '/status/nowhere.json', 404, anonymous);
    await conform('GET', '/status/{slug}', '/status/nowhere', 404, anonymous);
    const missing = await conform<string>('GET', '/status/{slug}', '/status/nowhere', 404, { headers: { authorization: '', accept: 'text/html' } });
    expect(missing).toContain('No status page here');
    expect((await coordinator.request(`/v1/status-pages/${page.id}`, { method: 'DELETE' })).status).toBe(204);
    await conform('GET', '/v1/status-pages/{id}', `/v1/status-pages/${page.id}`, 404);
  });

  it('maintenance windows: one-off, ad hoc and recurring, listed by filters', async () => {
    const monitor = await conform<{ id: string }>('POST', '/v1/monitors', '/v1/monitors', 201, {
      json: { name: 'conformance maintenance', url: 'https://example.test/maintained', regions: [upRegion], intervalSeconds: 3_600 },
    });
    const body = { key: 'conformance-window', monitorIds: [monitor.id], durationMinutes: 30, reason: 'Conformance' };
    const dry = await conform<{ changes: { path: string }[] }>('POST', '/v1/maintenance', '/v1/maintenance?dryRun=true', 200, { json: body });
    expect(dry.changes.map((change) => change.path)).toEqual(['key', 'monitorIds.0', 'startsAt', 'endsAt', 'reason']);
    const window = await conform<{ id: string; active: boolean }>('POST', '/v1/maintenance', '/v1/maintenance', 201, { json: body });
    expect(window.active).toBe(true);
    await conform('POST', '/v1/maintenance', '/v1/maintenance', 409, { json: body });
    const bad = await conform<{ issues: { path: string }[] }>('POST', '/v1/maintenance', '/v1/maintenance', 400, {
      json: { monitorIds: [monitor.id], rrule: 'FREQ=HOURLY', durationMinutes: 5, reason: 'x' },
    });
    expect(bad.issues.map((issue) => issue.path)).toEqual(['rrule']);
    await conform('POST', '/v1/maintenance', '/v1/maintenance', 201, { json: { monitorIds: [monitor.id], cron: '0 2 * * SUN', durationMinutes: 60, reason: 'Weekly' } });
    await conform('GET', '/v1/maintenance', '/v1/maintenance', 200);
    const active = await conform<{ items: { id: string }[] }>('GET', '/v1/maintenance', `/v1/maintenance?active=true&monitorId=${monitor.id}`, 200);
    expect(active.items.map((item) => item.id)).toEqual([window.id]);
    await conform('GET', '/v1/maintenance', '/v1/maintenance?active=maybe', 400);
    await conform('GET', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}`, 200);
    await conform('PUT', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}?dryRun=true`, 200, { json: { ...body, reason: 'Dry' }, headers: { 'if-match': '"1"' } });
    await conform('PUT', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}`, 200, {
      json: { ...body, rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0', durationMinutes: 120 },
      headers: { 'if-match': '"1"' },
    });
    await conform('PATCH', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}`, 412, { json: { reason: 'lost' }, headers: { 'if-match': '"1"' } });
    await conform('PATCH', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}`, 200, { json: { reason: 'Sunday patching' } });
    await conform('PATCH', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}?dryRun=true`, 200, { json: { durationMinutes: 60 } });
    expect((await coordinator.request(`/v1/maintenance/${window.id}`, { method: 'DELETE' })).status).toBe(204);
    await conform('GET', '/v1/maintenance/{id}', `/v1/maintenance/${window.id}`, 404);
  });

  it('errors are problems: validation, authentication, unknown ids and routes, malformed JSON', async () => {
    const invalid = await conform<Json>('POST', '/v1/monitors', '/v1/monitors', 400, {
      json: { name: '', url: 'ftp://x', regions: [upRegion], intervalSeconds: 1, expect: { json: [{ path: 'status', op: 'equals', value: 1 }] } },
    });
    expect(invalid).toMatchObject({ type: 'urn:crosscheck:problem:validation', title: 'Bad Request', status: 400, statusCode: 400, instance: '/v1/monitors' });
    expect(invalid['detail']).toBe(invalid['message']);
    expect((invalid['issues'] as { path: string }[]).map((issue) => issue.path)).toEqual(expect.arrayContaining(['name', 'url']));
    await conform('POST', '/v1/monitors', '/v1/monitors', 400, { body: '{"name":', headers: { 'content-type': 'application/json' } });
    await conform('GET', '/v1/monitors', '/v1/monitors?limit=0', 400);
    await conform('GET', '/v1/status', '/v1/status?cursor=nope', 400);
    await conform('GET', '/v1/monitors', '/v1/monitors', 401, { headers: { authorization: 'Bearer wrong' } });
    await conform('GET', '/v1/monitors/{id}', '/v1/monitors/mon_aaaaaaaaaaaaaaaaaaaa', 404);
    await conform('GET', '/v1/incidents/{id}', '/v1/incidents/inc_nothing', 404);
    await conform('GET', '/v1/webhooks/{id}', '/v1/webhooks/wh_aaaaaaaaaaaaaaaaaaaa', 404);

    // A route that does not exist has no schema in the document, but answers a problem all the same.
    const unknown = await coordinator.request('/v1/nothing-here?secret=1');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await unknown.json()) as unknown;
    expect(API_RESPONSE_SCHEMAS.Problem.parse(problem)).toMatchObject({ status: 404, type: 'urn:crosscheck:problem:not-found', instance: '/v1/nothing-here' });
  });

  it('reached every operation of the document with a success answer', () => {
    const missing: string[] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.keys(operation.responses).filter((status) => /^2/.test(status) && status !== '204');
        if (success.length > 0 && !success.some((status) => checked.has(`${method.toUpperCase()} ${template} ${status}`))) missing.push(`${method.toUpperCase()} ${template}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
