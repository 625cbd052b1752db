import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionReport, RoundSummary } from '../results/round';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import type { IncidentDetail, IncidentPage } from './incident-record';
import { IncidentTransitions } from './incident-transitions.service';

const DOWN: RegionReport = {
  status: 'down',
  causes: [{ code: 'lb_error_page', severity: 'down', message: "nginx's own 502 page", evidence: { vendor: 'nginx', status: 502 } }],
  evidence: { httpStatus: 502, finalUrl: 'https://ack.example.test/', redirects: 0, totalMs: 20, cache: { hit: false, signals: [] }, errorPageVendor: 'nginx' },
  agentId: 'fabricated',
  agentVersion: null,
  checkedAt: null,
};
const UP: RegionReport = { ...DOWN, status: 'up', causes: [], evidence: { ...DOWN.evidence!, httpStatus: 200, errorPageVendor: undefined } };

/**
 * `POST /v1/incidents/{id}/acknowledge`. Incidents are opened and resolved by applying fabricated
 * round summaries (an hour ahead, so no real round of the monitor interferes), on a Redis of its own.
 */
describe('acknowledging an incident', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;
  let transitions: IncidentTransitions;
  const region = randomRegion('ack');

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
    transitions = coordinator.app.get(IncidentTransitions, { strict: false });
  });

  afterAll(async () => {
    await coordinator.close();
    await redis.destroy();
  });

  /** A monitor and the rounds to push through its incident machine, one a second from an hour ahead. */
  async function monitorWithRounds(): Promise<{ monitorId: string; apply: (report: RegionReport) => Promise<void> }> {
    const response = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'ack', regions: [region], intervalSeconds: 3_600, url: 'https://ack.example.test/' },
    });
    expect(response.status).toBe(201);
    const { id: monitorId } = (await response.json()) as { id: string };
    let scheduledAt = Date.now() + 3_600_000;
    return {
      monitorId,
      apply: async (report) => {
        scheduledAt += 1_000;
        const summary: RoundSummary = {
          roundId: `${monitorId}-${scheduledAt}`,
          monitorId,
          scheduledAt,
          deadline: scheduledAt + 1_000,
          finalizedAt: scheduledAt + 10,
          finalizedBy: 'all_answered',
          complete: true,
          regions: { [region]: report },
        };
        expect(await transitions.apply(summary)).toBe('applied');
      },
    };
  }

  async function openIncident(): Promise<{ incidentId: string; apply: (report: RegionReport) => Promise<void> }> {
    const { monitorId, apply } = await monitorWithRounds();
    await apply(DOWN);
    await apply(DOWN);
    const page = (await (await coordinator.request(`/v1/incidents?monitorId=${monitorId}`)).json()) as IncidentPage;
    expect(page.items.map((incident) => incident.state)).toEqual(['open']);
    return { incidentId: page.items[0]!.id, apply };
  }

  const acknowledge = (incidentId: string, json?: unknown, token?: string) =>
    coordinator.request(`/v1/incidents/${incidentId}/acknowledge`, {
      method: 'POST',
      ...(json !== undefined ? { json } : {}),
      ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });

  it('records who and when, with a timeline entry; again keeps the first; a later transition keeps it too', async () => {
    const { incidentId, apply } = await openIncident();
    const before = (await (await coordinator.request(`/v1/incidents/${incidentId}`)).json()) as IncidentDetail;
    expect(before).toMatchObject({ acknowledgedAt: null, acknowledgedBy: null });

    const response = await acknowledge(incidentId, { by: ' alice (on call) ' });
    expect(response.status).toBe(200);
    const acknowledged = (await response.json()) as IncidentDetail;
    expect(acknowledged).toMatchObject({ id: incidentId, state: 'open', acknowledgedBy: 'alice (on call)' });
    expect(Date.parse(acknowledged.acknowledgedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(acknowledged.timeline.at(-1)).toEqual({ type: 'acknowledged', at: acknowledged.acknowledgedAt, by: 'alice (on call)' });

    const again = await acknowledge(incidentId, { by: 'bob' });
    expect(again.status).toBe(200);
    const kept = (await again.json()) as IncidentDetail;
    expect(kept).toMatchObject({ acknowledgedBy: 'alice (on call)', acknowledgedAt: acknowledged.acknowledgedAt });
    expect(kept.timeline.filter((entry) => entry.type === 'acknowledged')).toHaveLength(1);

    const listed = (await (await coordinator.request(`/v1/incidents?state=open`)).json()) as IncidentPage;
    expect(listed.items.find((incident) => incident.id === incidentId)).toMatchObject({ acknowledgedBy: 'alice (on call)' });

    // Resolving rewrites the record from the incident machine: the acknowledgement stays.
    await apply(UP);
    await apply(UP);
    const resolved = (await (await coordinator.request(`/v1/incidents/${incidentId}`)).json()) as IncidentDetail;
    expect(resolved).toMatchObject({ state: 'resolved', acknowledgedBy: 'alice (on call)', acknowledgedAt: acknowledged.acknowledgedAt });
    expect(resolved.timeline.map((entry) => entry.type)).toEqual(['incident.opened', 'acknowledged', 'incident.resolved']);
    expect((await acknowledge(incidentId)).status).toBe(409);
  });

  it('without a body records no name; a resolved incident is a 409 and stays unacknowledged', async () => {
    const first = await openIncident();
    const response = await acknowledge(first.incidentId);
    expect(response.status).toBe(200);
    expect((await response.json()) as IncidentDetail).toMatchObject({ acknowledgedBy: null, acknowledgedAt: expect.any(String) });

    const second = await openIncident();
    await second.apply(UP);
    await second.apply(UP);
    const refused = await acknowledge(second.incidentId, { by: 'late' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toBe(`incident ${second.incidentId} is resolved: there is nothing left to acknowledge`);
    const detail = (await (await coordinator.request(`/v1/incidents/${second.incidentId}`)).json()) as IncidentDetail;
    expect(detail).toMatchObject({ state: 'resolved', acknowledgedAt: null, acknowledgedBy: null });
    expect(detail.timeline.map((entry) => entry.type)).toEqual(['incident.opened', 'incident.resolved']);
  });

  it('404 for an unknown incident, 400 naming a bad field, 403 for a read token', async () => {
    for (const id of ['inc_mon_aaaaaaaaaaaaaaaaaaaa_1', 'nope']) expect((await acknowledge(id, { by: 'x' })).status).toBe(404);
    const { incidentId } = await openIncident();
    const cases: [unknown, string[]][] = [
      [{ by: 'x'.repeat(201) }, ['by']],
      [{ by: 7 }, ['by']],
      [{ by: '' }, ['by']],
      [{ who: 'x' }, ['who']],
      [[], ['']],
    ];
    for (const [body, paths] of cases) {
      const response = await acknowledge(incidentId, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(paths);
    }
    const created = await coordinator.request('/v1/tokens', { method: 'POST', json: { name: 'reader', scope: 'read' } });
    const { token } = (await created.json()) as { token: string };
    expect((await acknowledge(incidentId, { by: 'reader' }, token)).status).toBe(403);
    const detail = (await (await coordinator.request(`/v1/incidents/${incidentId}`)).json()) as IncidentDetail;
    expect(detail.acknowledgedAt).toBeNull();
  });

  it('is documented, with the fields configuration as code relies on', async () => {
    const document = (await (await fetch(`${coordinator.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const schemas = document.components.schemas;
    expect(document.paths['/v1/incidents/{id}/acknowledge']?.['post']?.responses).toHaveProperty('409');
    expect(schemas['Incident']?.properties).toHaveProperty('acknowledgedBy');
    for (const name of ['Monitor', 'Webhook']) expect(schemas[name]?.required, name).toEqual(expect.arrayContaining(['key', 'revision']));
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['DocumentChange', 'MonitorDryRun', 'WebhookDryRun', 'AcknowledgementEntry']));
    const put = document.paths['/v1/monitors/{id}']?.['put'];
    expect(put?.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(expect.arrayContaining(['header:If-Match', 'query:dryRun']));
    expect(put?.responses).toHaveProperty('412');
    expect(put?.responses['200']?.headers).toHaveProperty('ETag');
    expect(document.paths['/v1/webhooks']?.['get']?.parameters?.map((parameter) => parameter.name)).toContain('key');
  });
});
