import { checkJobIdFor, RESULT_JOB_NAME, type CheckJob } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, IncidentPage } from '../incidents/incident-record';
import { coordinatorKeys, STATE_SHARDS } from '../redis/coordinator-keys';
import { MonitorsRepository } from './monitors.repository';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** A region whose agents see the target down, every round. */
class DownRegionAgent extends FakeRegionAgent {
  override async answer(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, jobId = checkJobIdFor(job.roundId, job.region)): Promise<string> {
    await this.resultQueue.add(RESULT_JOB_NAME, fakeResult(job, this.agentId, 'down'), { jobId });
    return jobId;
  }
}

/** One verified webhook request. */
interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** A webhook receiver that verifies each request with the independent `standardwebhooks` package. */
class VerifyingReceiver {
  readonly received: Received[] = [];
  secret = '';
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        try {
          const payload = new Webhook(this.secret).verify(Buffer.concat(chunks).toString('utf8'), headers) as Omit<Received, 'id'>;
          this.received.push({ id: headers['webhook-id'] ?? '', type: payload.type, data: payload.data });
          response.writeHead(204).end();
        } catch {
          response.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/**
 * Deleting a monitor ends its story: an open incident resolves (reason `monitor_deleted`) and its
 * `incident.resolved` reaches the webhooks; the monitor's state keys go, its incident history stays
 * for a bounded time. On a redis-server of its own, so only this test's events reach the receiver.
 */
describe('deleting a monitor', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let coordinator: TestCoordinator;
  const receiver = new VerifyingReceiver();
  const region = randomRegion('del');

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    coordinator = await startTestCoordinator({ redisUrl: redis.url, roundGraceMs: 500 });
    const url = await receiver.start();
    const response = await coordinator.request('/v1/webhooks', { method: 'POST', json: { url } });
    expect(response.status).toBe(201);
    receiver.secret = ((await response.json()) as { secret: string }).secret;
  });

  afterAll(async () => {
    await coordinator?.close();
    await receiver.close();
    await admin?.quit();
    await redis?.destroy();
  });

  it('resolves its open incident with reason monitor_deleted and delivers incident.resolved', async () => {
    const down = new DownRegionAgent(region, `fake-${region}`, redis.url).start();
    try {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        json: { name: 'doomed', regions: [region], intervalSeconds: 1, url: 'https://example.test/health', timeoutMs: 500 },
      });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };

      const opened = await eventually(
        async () => receiver.received.find((event) => event.type === 'incident.opened' && (event.data['monitor'] as { id: string }).id === id),
        20_000,
        'incident.opened at the receiver',
      );
      const incidentId = (opened.data['incident'] as { id: string }).id;

      expect((await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' })).status).toBe(204);

      const resolved = await eventually(
        async () => receiver.received.find((event) => event.type === 'incident.resolved' && (event.data['incident'] as { id: string }).id === incidentId),
        10_000,
        'incident.resolved at the receiver',
      );
      expect(resolved.data['reason']).toBe('monitor_deleted');
      expect(resolved.data['incident']).toMatchObject({ id: incidentId, state: 'resolved', resolvedAt: expect.any(String) });
      expect(resolved.data['monitor']).toMatchObject({ id, name: 'doomed' });
      expect(resolved.data['classification']).toMatchObject({ before: 'outage', after: null });

      // The incident is resolved for the API too, and no longer open.
      const detail = (await (await coordinator.request(`/v1/incidents/${incidentId}`)).json()) as IncidentDetail;
      expect(detail).toMatchObject({ state: 'resolved', reason: 'monitor_deleted' });
      expect(detail.timeline.at(-1)).toMatchObject({ type: 'incident.resolved', reason: 'monitor_deleted', eventId: resolved.id });
      const open = (await (await coordinator.request('/v1/incidents?state=open')).json()) as IncidentPage;
      expect(open.items.map((incident) => incident.id)).not.toContain(incidentId);

      // The monitor's state keys are gone; its incident history stays, with an end.
      const stateKeys = [
        coordinatorKeys.monitor(id),
        coordinatorKeys.monitorState(id),
        coordinatorKeys.monitorHistory(id),
        coordinatorKeys.incidentState(id),
      ];
      expect(await admin.exists(...stateKeys)).toBe(0);
      expect(await admin.pttl(coordinatorKeys.incident(incidentId))).toBeGreaterThan(0);
      expect(await admin.pttl(coordinatorKeys.incidentTimeline(incidentId))).toBeGreaterThan(0);
      expect(await admin.pttl(coordinatorKeys.monitorIncidents(id))).toBeGreaterThan(0);

      // One resolution, however long we wait.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(receiver.received.filter((event) => event.type === 'incident.resolved')).toHaveLength(1);
    } finally {
      await down.close();
    }
  }, 60_000);

  it('is finished by another coordinator when its own died halfway, as are incidents left open by older versions', async () => {
    const down = new DownRegionAgent(region, `fake-${region}`, redis.url).start();
    try {
      const create = async (name: string): Promise<string> => {
        const response = await coordinator.request('/v1/monitors', {
          method: 'POST',
          json: { name, regions: [region], intervalSeconds: 1, url: 'https://example.test/health', timeoutMs: 500 },
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { id: string }).id;
      };
      const [halfway, legacy] = [await create('deleted halfway'), await create('deleted by an older version')];
      const openedFor = (id: string) =>
        eventually(
          async () => receiver.received.find((event) => event.type === 'incident.opened' && (event.data['monitor'] as { id: string }).id === id),
          20_000,
          `incident.opened of ${id}`,
        );
      const incidents = [(await openedFor(halfway)).data['incident'] as { id: string }, (await openedFor(legacy)).data['incident'] as { id: string }];

      // A coordinator that died right after the delete script: the monitor is gone, nothing else done.
      expect(await coordinator.app.get(MonitorsRepository, { strict: false }).delete(halfway, Date.now())).toEqual({ outcome: 'deleted', regions: [region] });
      // An older version's delete: the monitor's keys went, its incident stayed open.
      await admin.multi().del(coordinatorKeys.monitor(legacy)).zrem(coordinatorKeys.monitorIndex(), legacy).exec();
      const resolvedOf = (incidentId: string) => receiver.received.find((event) => event.type === 'incident.resolved' && (event.data['incident'] as { id: string }).id === incidentId);
      expect(incidents.map(({ id }) => resolvedOf(id))).toEqual([undefined, undefined]);

      // Any coordinator finishes both when it starts.
      const other = await startTestCoordinator({ redisUrl: redis.url, roundGraceMs: 500 });
      try {
        for (const { id } of incidents) {
          // At boot, or at the latest by the next sweep (every minute), as documented.
          const resolved = await eventually(async () => resolvedOf(id), 75_000, `incident.resolved of ${id}`);
          expect(resolved.data['reason']).toBe('monitor_deleted');
        }
        expect(await admin.hlen(coordinatorKeys.deletedMonitors())).toBe(0);
        expect(await admin.exists(coordinatorKeys.incidentState(halfway), coordinatorKeys.incidentState(legacy))).toBe(0);
        let open = 0;
        for (let shard = 0; shard < STATE_SHARDS; shard++) open += await admin.zcard(coordinatorKeys.openIncidents(shard));
        expect(open).toBe(0);
      } finally {
        await other.close();
      }
    } finally {
      await down.close();
    }
  }, 180_000);
});
