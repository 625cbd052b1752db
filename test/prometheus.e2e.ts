/**
 * Prometheus metrics, scraped by a real Prometheus: a coordinator (its `/metrics` behind
 * `METRICS_TOKEN`) and an agent (`METRICS_PORT`) as separate processes on a private Redis, two
 * monitors (a loopback target that answers, and one whose port is closed), then PromQL over the
 * series Prometheus stored.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from './support/net';
import { startPrometheus, type PromSample, type PrometheusServer } from './support/prometheus';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator, type SystemProcess } from './support/system';

const TOKEN = 'e2e-token-prometheus-0123456789';
const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
const TARGET_HOST = '127.0.0.93';
const REGION = 'p-metrics';

let redis: SuiteRedis;
let coordinator: Coordinator;
let agent: SystemProcess;
let api: ApiClient;
let target: Server;
let prometheus: PrometheusServer | undefined;
let upMonitor = '';
let downMonitor = '';

async function createMonitor(name: string, url: string): Promise<string> {
  const created = await api.post<{ id: string }>('/v1/monitors', { name, url, regions: [REGION], intervalSeconds: 1, timeoutMs: 1_000 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

beforeAll(async () => {
  redis = await startSuiteRedis();
  const port = await freePort(TARGET_HOST);
  target = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"ok"}'));
  await new Promise<void>((resolve) => target.listen(port, TARGET_HOST, resolve));
  // A port nothing listens on: connection refused, a down verdict.
  const closedPort = await freePort(TARGET_HOST);

  coordinator = await startCoordinator({ redis: redis.target, token: TOKEN, name: 'coordinator-metrics', env: { METRICS_TOKEN } });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  const agentMetricsPort = await freePort('127.0.0.1');
  agent = startAgent({ redis: redis.target, region: REGION, agentId: 'metrics-1', env: { METRICS_PORT: String(agentMetricsPort), METRICS_HOST: '127.0.0.1' } });
  upMonitor = await createMonitor('answers', `http://${TARGET_HOST}:${port}/health`);
  downMonitor = await createMonitor('refuses', `http://${TARGET_HOST}:${closedPort}/health`);

  prometheus = await startPrometheus([
    { job: 'coordinator', address: coordinator.baseUrl.replace('http://', ''), bearerToken: METRICS_TOKEN },
    { job: 'agent', address: `127.0.0.1:${agentMetricsPort}` },
  ]);
});

afterAll(async () => {
  await prometheus?.stop();
  await stopAllSystemProcesses();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
  await redis?.stop();
});

describe('Prometheus scraping the coordinator and an agent', () => {
  it('scrapes both targets (the coordinator with METRICS_TOKEN)', async () => {
    await prometheus!.waitForTargetsUp().catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nprometheus log:\n${prometheus!.tail()}\ncoordinator log:\n${coordinator.tail()}\nagent log:\n${agent.tail()}`);
    });
  });

  it('answers crosscheck_region_up with 1 for the monitor whose target answers and 0 for the one whose target refuses', async () => {
    const series = await waitUntil(
      'crosscheck_region_up of both monitors in Prometheus, up 1 and down 0',
      async () => {
        const samples = await prometheus!.query('crosscheck_region_up');
        const of = (id: string) => samples.find((sample) => sample.metric['monitor_id'] === id);
        return of(upMonitor)?.value === 1 && of(downMonitor)?.value === 0 ? samples : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    const up = series.find((sample) => sample.metric['monitor_id'] === upMonitor)!;
    expect(up.metric).toMatchObject({ __name__: 'crosscheck_region_up', job: 'coordinator', monitor_id: upMonitor, monitor: 'answers', region: REGION });
    const down = series.find((sample) => sample.metric['monitor_id'] === downMonitor)!;
    expect(down.metric).toMatchObject({ monitor: 'refuses', region: REGION });

    // PromQL over the state set: the refusing monitor's region is down.
    const status = await prometheus!.query(`crosscheck_region_status{monitor_id="${downMonitor}"} == 1`);
    expect(status.map((sample: PromSample) => sample.metric['status'])).toEqual(['down']);
    const live = await prometheus!.query(`crosscheck_agents_live{region="${REGION}"}`);
    expect(live.map((sample) => sample.value)).toEqual([1]);
  });

  it('stores the agent’s series: checks by status and probe errors by code', async () => {
    const checks = await waitUntil(
      'crosscheck_agent_checks_total up and down from the agent',
      async () => {
        const samples = await prometheus!.query('sum by (status) (crosscheck_agent_checks_total{job="agent"})');
        const of = (status: string) => samples.find((sample) => sample.metric['status'] === status)?.value ?? 0;
        return of('up') > 0 && of('down') > 0 ? samples : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(checks.length).toBeGreaterThanOrEqual(2);
    const refused = await waitUntil(
      'a connection_refused probe error',
      async () => {
        const samples = await prometheus!.query('crosscheck_agent_probe_errors_total{job="agent",code="connection_refused"} > 0');
        return samples.length > 0 ? samples : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(refused).toHaveLength(1);
    const limit = await prometheus!.query('crosscheck_agent_memory_budget_bytes{kind="limit"}');
    expect(limit[0]?.value).toBeGreaterThan(0);
  });
});
