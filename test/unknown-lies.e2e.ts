/**
 * Lies no fingerprint knows, end to end: a coordinator, agents in two regions, real Varnish and nginx and a
 * real DNS server (dnsmasq) on loopback. Each lie is a `200` (or a name that mostly answers) that a
 * monitor accepting any 200 calls up:
 *
 * | what users get                                                                 | expected                               |
 * | ------------------------------------------------------------------------------ | -------------------------------------- |
 * | Varnish keyed on the path, no cache header, origin dead: the last healthy body  | `stale_cache` (frozen content), masked outage |
 * | the operator's own "try again later" text as `200 text/plain` where JSON was    | `operator_page` (and `content_changed`, info), outage |
 * | a name with two addresses, one dead                                            | `address_down` naming it, degraded     |
 *
 * Each is also shown `operational` while healthy, before and after. A control monitor on the
 * hidden cache with its baseline off shows the lie: it stays operational throughout.
 *
 * Needs `apt-get install varnish nginx-light dnsmasq-base` and a built system (`npm run -s build`).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from './support/dns-server';
import { nginxOperatorText200, OPERATOR_TEXT, stopAllIntermediaries, varnishHiddenCache, type Intermediary } from './support/intermediaries';
import { assertLoopback, freePortOnAll, httpGet, waitUntil } from './support/net';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';

const TOKEN = 'unknown-lies-token-0123456789abc';
const REGIONS = ['eu-west', 'us-east'] as const;
const SUBNET = '127.0.91';
const DOMAIN = 'crosscheck.test';
const NAME = `svc.${DOMAIN}`;

interface CauseView {
  code: string;
  severity: string;
  message: string;
  evidence: Record<string, unknown>;
}
interface StatusView {
  classification: { classification: string; affectedRegions: string[]; decidedBy: string[]; reason: string } | null;
  regions: Record<string, { status: string; causes: CauseView[]; evidence: Record<string, unknown> | null }>;
}

/**
 * A health endpoint whose document advances on every request (`time`, `served`, and an ETag that
 * follows them), as most do: the content a frozen cache stops.
 */
class LiveOrigin {
  private server: Server | undefined;
  private served = 0;
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    assertLoopback(host);
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => {
      request.resume();
      this.served += 1;
      const body = JSON.stringify({
        status: 'pass',
        version: '2.4.1',
        time: new Date().toISOString(),
        served: this.served,
        checks: { 'db:responseTime': [{ status: 'pass', observedValue: 3 }], 'cache:ping': [{ status: 'pass' }] },
      });
      response.writeHead(200, { 'Content-Type': 'application/health+json', ETag: `"s${this.served}"`, 'Cache-Control': 'no-cache' });
      response.end(body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let redis: SuiteRedis;
let coordinator: Coordinator;
let api: ApiClient;
let dns: DnsServer;
let port = 0;
const origins: Record<'hidden' | 'operator' | 'first' | 'second', LiveOrigin> = {} as never;
const edges: Partial<Record<'hidden' | 'operator', Intermediary>> = {};
const monitors: Record<string, string> = {};

async function status(name: string): Promise<StatusView> {
  const response = await api.get<StatusView>(`/v1/monitors/${monitors[name]}/status`);
  expect(response.status).toBe(200);
  return response.body;
}

async function waitForClassification(name: string, classification: string, accept: (view: StatusView) => boolean = () => true, timeoutMs = 60_000): Promise<StatusView> {
  let last: StatusView | undefined;
  try {
    return await waitUntil(
      `${name} to be classified ${classification}`,
      async () => {
        last = await status(name);
        return last.classification?.classification === classification && accept(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last?.classification)} ${JSON.stringify(last?.regions)}`);
  }
}

interface BaselineView {
  rounds: number;
  validators: Partial<Record<string, { pairs: number; changes: number }>>;
}

/**
 * Every region's baseline has learned `rounds` healthy rounds and, with `advancing`, seen the body
 * hash change on nearly every one of them (what makes frozen content tell).
 */
async function waitForBaselines(name: string, rounds: number, advancing = false): Promise<void> {
  let last: unknown;
  try {
    await waitUntil(
      `${name}'s baselines to learn ${rounds} rounds${advancing ? ' with an advancing body' : ''}`,
      async () => {
        const response = await api.get<{ regions: Record<string, BaselineView | null> }>(`/v1/monitors/${monitors[name]}/baselines`);
        last = response.body;
        return REGIONS.every((region) => {
          const baseline = response.body.regions[region];
          const body = baseline?.validators['bodyHash'];
          return baseline && baseline.rounds >= rounds && (!advancing || (body !== undefined && body.pairs >= 3 && body.changes / body.pairs >= 0.8));
        })
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}

async function createMonitor(name: string, url: string, extra: Record<string, unknown> = {}): Promise<void> {
  const created = await api.post<{ id: string }>('/v1/monitors', { name, url, regions: [...REGIONS], intervalSeconds: 2, timeoutMs: 1500, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  monitors[name] = created.body.id;
}

function causesOf(view: StatusView, region: string): CauseView[] {
  return view.regions[region]?.causes ?? [];
}

beforeAll(async () => {
  redis = await startSuiteRedis();
  const hosts = [`${SUBNET}.10`, `${SUBNET}.11`, `${SUBNET}.12`, `${SUBNET}.13`, `${SUBNET}.14`, `${SUBNET}.15`];
  // The name's two addresses serve on one port.
  port = await freePortOnAll(hosts);
  origins.hidden = new LiveOrigin(`${SUBNET}.10`, port);
  origins.operator = new LiveOrigin(`${SUBNET}.12`, port);
  origins.first = new LiveOrigin(`${SUBNET}.14`, port);
  origins.second = new LiveOrigin(`${SUBNET}.15`, port);
  await Promise.all(Object.values(origins).map((origin) => origin.start()));
  const [hidden, operator] = await Promise.all([
    varnishHiddenCache(origins.hidden, { host: `${SUBNET}.11`, port }),
    nginxOperatorText200(origins.operator, { host: `${SUBNET}.13`, port }),
  ]);
  edges.hidden = hidden;
  edges.operator = operator;
  dns = await startDnsServer({ host: `${SUBNET}.53`, domain: DOMAIN, records: { [NAME]: [origins.first.host, origins.second.host] } });

  coordinator = await startCoordinator({ redis: redis.target, token: TOKEN });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  for (const region of REGIONS) {
    startAgent({ redis: redis.target, region, agentId: `${region}-lies`, env: { PROBE_DNS_SERVERS: dns.address } });
  }
  const learning = { learnRounds: 3, frozenAfterRounds: 3 };
  // The cache keeps a copy 0.5 s: rounds 2 s apart each get a newer one while the origin is healthy,
  // as behind any cache whose lifetime is shorter than the monitor's interval.
  await createMonitor('hidden-cache', `${hidden.url}health`, { baseline: learning });
  await createMonitor('hidden-cache-control', `${hidden.url}health`, { baseline: { enabled: false } });
  await createMonitor('operator-text', `${operator.url}health`, { baseline: learning });
  await createMonitor('two-addresses', `http://${NAME}:${port}/health`);
}, 120_000);

afterAll(async () => {
  await stopAllSystemProcesses();
  await stopAllIntermediaries();
  await Promise.all(Object.values(origins).map((origin) => origin?.stop()));
  await dns?.stop();
  await redis?.stop();
}, 60_000);

describe('lies no fingerprint knows', () => {
  it('a path-keyed cache with no cache header serving a dead origin is a masked outage (frozen content); its control says operational', async () => {
    await waitForClassification('hidden-cache', 'operational');
    await waitForBaselines('hidden-cache', 4, true);

    await origins.hidden.stop();
    // What users get: a 200 with the last health document, no cache header, a fresh Date.
    // Varnish graces the copy once its probe finds the origin sick (within about a second).
    const lie = await waitUntil(
      'the hidden cache to serve its last copy',
      async () => {
        const answer = await httpGet(`${edges.hidden?.url}health?x=${Date.now()}`, { headers: { 'cache-control': 'no-cache' } });
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(lie.status).toBe(200);
    expect(lie.body).toContain('"status":"pass"');
    for (const header of ['age', 'x-cache', 'x-cache-status', 'via', 'warning', 'cache-control']) expect(lie.headers[header]).toBeUndefined();

    // Every region is answered by the cache for an origin that fails: the cache hides the outage.
    const down = await waitForClassification('hidden-cache', 'masked_outage', (view) => view.classification?.affectedRegions.length === REGIONS.length);
    for (const region of REGIONS) {
      const frozen = causesOf(down, region).find((cause) => cause.code === 'stale_cache');
      expect(frozen, JSON.stringify(causesOf(down, region))).toBeDefined();
      expect(frozen?.severity).toBe('down');
      expect(frozen?.evidence['frozen']).toBe(true);
    }
    expect(down.classification?.decidedBy).toContain('stale_cache');
    // The same lie, judged without a baseline: every fingerprint-free check passes.
    expect((await status('hidden-cache-control')).classification?.classification).toBe('operational');

    await origins.hidden.start();
    await waitForClassification('hidden-cache', 'operational');
  });

  it("the operator's own 'try again later' text served as 200 where a health document was is an outage", async () => {
    await waitForClassification('operator-text', 'operational');
    await waitForBaselines('operator-text', 3);

    await origins.operator.stop();
    const lie = await httpGet(`${edges.operator?.url}health`);
    expect(lie.status).toBe(200);
    expect(lie.headers['content-type']).toMatch(/^text\/plain/);
    expect(lie.body.trim()).toBe(OPERATOR_TEXT.trim());

    const down = await waitForClassification('operator-text', 'outage');
    for (const region of REGIONS) {
      const codes = causesOf(down, region).map((cause) => cause.code);
      expect(codes).toContain('operator_page');
      expect(codes).toContain('content_changed');
      // The operator's page decides; the change from the learned health document is told beside it.
      expect(causesOf(down, region).find((cause) => cause.code === 'content_changed')?.severity).toBe('info');
      expect(causesOf(down, region).find((cause) => cause.code === 'content_changed')?.message).toMatch(/health document/);
    }

    await origins.operator.start();
    await waitForClassification('operator-text', 'operational');
  });

  it('a name with two addresses and one of them dead is a partial outage naming the dead address', async () => {
    const healthy = await waitForClassification('two-addresses', 'operational');
    for (const region of REGIONS) {
      const addresses = healthy.regions[region]?.evidence?.['addresses'] as Array<{ address: string; ok: boolean }> | undefined;
      expect(addresses?.map((a) => a.address).sort()).toEqual([origins.first.host, origins.second.host].sort());
      expect(addresses?.every((a) => a.ok)).toBe(true);
    }

    await origins.second.stop();
    const partial = await waitForClassification('two-addresses', 'degraded', (view) => view.classification?.affectedRegions.length === REGIONS.length);
    expect(partial.classification?.decidedBy).toContain('address_down');
    expect(partial.classification?.reason).toContain(origins.second.host);
    for (const region of REGIONS) {
      const cause = causesOf(partial, region).find((c) => c.code === 'address_down');
      expect(cause?.message).toContain(origins.second.host);
      expect(cause?.message).not.toContain(origins.first.host + ' ');
    }

    await origins.second.start();
    await waitForClassification('two-addresses', 'operational', (view) => REGIONS.every((region) => !causesOf(view, region).some((c) => c.code === 'address_down')));
  });
});
