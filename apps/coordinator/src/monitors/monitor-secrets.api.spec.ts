import { checkJobIdFor, RESULT_JOB_NAME, type CheckJob, type CheckResult } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SINK, type EventSink, type OutboundEvent } from '../events/event-sink';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** Every secret a monitor of this suite holds; none may show anywhere but in the probe's request. */
const SECRET = {
  password: 'pa55-w0rd-9f3e',
  apiKey: 'k3y-0a8b7c6d',
  custom: 'cust0m-77e1aa',
  token: 't0ken-5d2c4b',
};
const BASIC = Buffer.from(`alice:${SECRET.password}`).toString('base64');

function expectNoSecret(text: string, where: string): void {
  for (const [name, value] of Object.entries({ ...SECRET, basic: BASIC })) expect(text, `${where} shows ${name}`).not.toContain(value);
}

/**
 * An agent that answers down, as an old (or hostile) agent would report it: the credentials of a
 * redirect's target in the final URL, a cause message and the headers it kept.
 */
class LeakyDownAgent extends FakeRegionAgent {
  override async answer(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, jobId = checkJobIdFor(job.roundId, job.region)): Promise<string> {
    const leaked = `https://alice:${SECRET.password}@login.shop.example.test/`;
    const base = fakeResult(job, this.agentId, 'down');
    const result: CheckResult = {
      ...base,
      verdict: {
        ...base.verdict,
        causes: [{ code: 'auth_wall', severity: 'down', message: `redirected to the login page ${leaked}`, evidence: { location: leaked } }],
        evidence: { ...base.verdict.evidence, finalUrl: leaked },
      },
      observation: { ...base.observation, finalUrl: leaked, headers: { location: leaked, 'set-cookie': `sid=${SECRET.token}` } },
    };
    await this.resultQueue.add(RESULT_JOB_NAME, result, { jobId });
    return jobId;
  }
}

/**
 * On a Redis of its own: coordinators of other suites on a shared Redis would take this suite's
 * rounds (the rounds queue is global) and run them with their own secrets key.
 */
describe('monitor secrets', () => {
  let redisServer: PrivateRedis;
  let coordinator: TestCoordinator;
  let redis: Redis;
  let agent: LeakyDownAgent;
  const region = randomRegion('sec');
  const created: string[] = [];
  const published: OutboundEvent[] = [];

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'Checkout with credentials',
    regions: [region],
    intervalSeconds: 3_600,
    url: `https://alice:${SECRET.password}@shop.example.test/health`,
    headers: { 'X-Api-Key': SECRET.apiKey, 'X-Custom': SECRET.custom, 'X-Auth-Token': SECRET.token, Accept: 'application/json' },
    secretHeaders: ['X-Custom'],
    ...overrides,
  });

  async function send(method: string, path: string, json?: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
    const response = await coordinator.request(path, { method, ...(json !== undefined ? { json } : {}) });
    const text = await response.text();
    return { status: response.status, text, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  async function create(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const answer = await send('POST', '/v1/monitors', body(overrides));
    expect(answer.status, answer.text).toBe(201);
    created.push(answer.json['id'] as string);
    return answer.json;
  }

  /** The newest check job of a monitor that the region's agent took. */
  async function newestCheck(monitorId: string, after = 0): Promise<CheckJob> {
    return eventually(
      async () => agent.checks.filter((job) => job.data.monitorId === monitorId && job.data.scheduledAt > after).at(-1)?.data,
      10_000,
      `a check of ${monitorId}`,
    );
  }

  beforeAll(async () => {
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
    coordinator = await startTestCoordinator({ redisUrl: redisServer.url });
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    agent = new LeakyDownAgent(region, undefined, redisServer.url).start();
    const sink = coordinator.app.get<symbol, EventSink>(EVENT_SINK, { strict: false });
    const publish = sink.publish.bind(sink);
    sink.publish = async (event: OutboundEvent) => {
      await publish(event);
      published.push(structuredClone(event));
    };
  });

  afterAll(async () => {
    for (const id of created) await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    await agent.close();
    await coordinator.close();
    await redis.quit();
    await redisServer.destroy();
  });

  it('shows no secret in any monitor answer: POST, GET, list, PUT, PATCH', async () => {
    const monitor = await create();
    const id = monitor['id'] as string;
    expect(monitor['spec']).toMatchObject({
      url: 'https://***@shop.example.test/health',
      headers: { 'X-Api-Key': '[redacted]', 'X-Custom': '[redacted]', 'X-Auth-Token': '[redacted]', Accept: 'application/json' },
      secretHeaders: ['X-Custom'],
    });
    const answers = [
      JSON.stringify(monitor),
      (await send('GET', `/v1/monitors/${id}`)).text,
      (await send('GET', '/v1/monitors?limit=200')).text,
      (await send('PUT', `/v1/monitors/${id}`, body({ name: 'renamed' }))).text,
      (await send('PATCH', `/v1/monitors/${id}`, { headers: { 'X-Api-Key': SECRET.apiKey } })).text,
    ];
    answers.forEach((text, index) => expectNoSecret(text, `answer ${index}`));
  });

  it('keeps every secret sealed in Redis, and sends the real values to the agent', async () => {
    const id = (await create())['id'] as string;
    const raw = await redis.hget(coordinatorKeys.monitor(id), 'json');
    expect(raw).toBeTruthy();
    expectNoSecret(raw!, 'the stored monitor');
    expect(raw).toContain('"sealed"');

    const job = await newestCheck(id);
    expect(job.spec).toMatchObject({
      url: `https://alice:${SECRET.password}@shop.example.test/health`,
      headers: { 'X-Api-Key': SECRET.apiKey, 'X-Custom': SECRET.custom, 'X-Auth-Token': SECRET.token, Accept: 'application/json' },
    });
  });

  it('keeps the stored secrets through a GET-modify-PUT round trip and a PATCH that sends "[redacted]" back', async () => {
    const id = (await create())['id'] as string;
    const shown = (await send('GET', `/v1/monitors/${id}`)).json as { name: string; regions: string[]; intervalSeconds: number; spec: Record<string, unknown> };
    const first = await newestCheck(id);

    // What a client does: read, change one field, send the whole back (secrets as shown).
    const put = await send('PUT', `/v1/monitors/${id}`, { name: 'renamed', regions: shown.regions, intervalSeconds: 1_800, ...shown.spec });
    expect(put.status, put.text).toBe(200);
    const afterPut = await newestCheck(id, first.scheduledAt);
    expect(afterPut.spec).toMatchObject({
      url: `https://alice:${SECRET.password}@shop.example.test/health`,
      headers: { 'X-Api-Key': SECRET.apiKey, 'X-Custom': SECRET.custom, 'X-Auth-Token': SECRET.token },
    });

    const patch = await send('PATCH', `/v1/monitors/${id}`, { intervalSeconds: 3_600, headers: { 'X-Api-Key': '[redacted]', 'X-New-Token': 'n3w-t0ken' } });
    expect(patch.status, patch.text).toBe(200);
    expect((patch.json['spec'] as { headers: Record<string, string> }).headers['X-New-Token']).toBe('[redacted]');
    const afterPatch = await newestCheck(id, afterPut.scheduledAt);
    expect(afterPatch.spec['headers']).toMatchObject({ 'X-Api-Key': SECRET.apiKey, 'X-Custom': SECRET.custom, 'X-New-Token': 'n3w-t0ken' });
    expect(afterPatch.spec['url']).toBe(`https://alice:${SECRET.password}@shop.example.test/health`);
  });

  it('refuses a placeholder with no stored secret behind it, or one that would follow the monitor to another origin', async () => {
    const id = (await create())['id'] as string;
    const ALL_SECRET_HEADERS = ['headers.X-Api-Key', 'headers.X-Custom', 'headers.X-Auth-Token'];
    const cases: { method: string; path: string; json: unknown; paths: string[] }[] = [
      { method: 'POST', path: '/v1/monitors', json: body({ headers: { 'X-Api-Key': '[redacted]' } }), paths: ['headers.X-Api-Key'] },
      { method: 'POST', path: '/v1/monitors', json: body({ url: 'https://***@shop.example.test/health' }), paths: ['url'] },
      { method: 'PATCH', path: `/v1/monitors/${id}`, json: { headers: { 'X-Other-Key': '[redacted]' } }, paths: ['headers.X-Other-Key'] },
      { method: 'PATCH', path: `/v1/monitors/${id}`, json: { url: 'https://***@evil.example.test/health', headers: { 'X-Api-Key': '[redacted]' } }, paths: ['url', ...ALL_SECRET_HEADERS] },
      { method: 'PATCH', path: `/v1/monitors/${id}`, json: { resolve: ['shop.example.test:443:127.0.0.9'] }, paths: ['url', ...ALL_SECRET_HEADERS] },
      // A patch that does not restate the secrets is a patch of the monitor as shown: they do not follow it elsewhere either.
      { method: 'PATCH', path: `/v1/monitors/${id}`, json: { url: 'https://evil.example.test/health' }, paths: ALL_SECRET_HEADERS },
      { method: 'PUT', path: `/v1/monitors/${id}`, json: body({ url: 'https://evil.example.test/health', headers: { 'X-Api-Key': '[redacted]' } }), paths: ['headers.X-Api-Key'] },
    ];
    for (const { method, path, json, paths } of cases) {
      const answer = await send(method, path, json);
      expect(answer.status, `${method} ${JSON.stringify(json)}: ${answer.text}`).toBe(400);
      expect(((answer.json['issues'] ?? []) as { path: string }[]).map((issue) => issue.path).sort()).toEqual([...paths].sort());
      expectNoSecret(answer.text, 'the 400');
    }
  });

  it('shows no secret in status, results, incidents, timelines or event payloads, whatever an agent reported', async () => {
    const id = (await create({ intervalSeconds: 1, timeoutMs: 500, incidents: { openAfter: 1, resolveAfter: 1 } }))['id'] as string;
    const incident = await eventually(async () => {
      const page = (await send('GET', `/v1/incidents?monitorId=${id}`)).json as { items: { id: string }[] };
      return page.items[0];
    }, 15_000, 'an incident');
    await eventually(async () => (published.some((event) => event.type === 'incident.opened' && JSON.stringify(event).includes(id)) ? true : undefined), 10_000, 'incident.opened');

    const texts = {
      status: (await send('GET', `/v1/monitors/${id}/status`)).text,
      results: (await send('GET', `/v1/monitors/${id}/results`)).text,
      incidents: (await send('GET', `/v1/incidents?monitorId=${id}`)).text,
      incident: (await send('GET', `/v1/incidents/${incident.id}`)).text,
      events: JSON.stringify(published.filter((event) => JSON.stringify(event).includes(id))),
    };
    for (const [where, text] of Object.entries(texts)) {
      expectNoSecret(text, where);
      expect(text, where).not.toContain('alice');
    }
    expect(texts.incident).toContain('https://***@shop.example.test/health');
    expect(texts.results).toContain('https://***@login.shop.example.test/');
  });
});
