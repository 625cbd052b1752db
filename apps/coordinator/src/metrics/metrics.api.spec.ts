import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeRegionAgent } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** One sample of a Prometheus text exposition. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (comments skipped). */
function samples(text: string): Sample[] {
  const found: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    found.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return found;
}

function valueOf(all: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return all.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

/**
 * `GET /metrics`: Prometheus text, open by default or behind `METRICS_TOKEN`, outside the API's
 * tokens and rate limits, with a monitor's series read from its latest round.
 */
describe('GET /metrics', () => {
  let open: TestCoordinator;
  let guarded: TestCoordinator;
  const metricsToken = 'metrics-token-0123456789';
  const answering = new FakeRegionAgent(randomRegion('metrics-up'));
  const silent = new FakeRegionAgent(randomRegion('metrics-silent'));
  let monitorId = '';

  beforeAll(async () => {
    open = await startTestCoordinator({ roundGraceMs: 300 });
    // A per-address limit of 2 a minute: /metrics must not count against it.
    guarded = await startTestCoordinator({ metricsToken, rateLimitPerMinutePerAddress: 2 });
    answering.start();
    silent.start({ answer: false });
    const response = await open.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'metrics "test"', regions: [answering.region, silent.region], intervalSeconds: 1, url: 'https://example.test/health', timeoutMs: 300 },
    });
    expect(response.status).toBe(201);
    monitorId = ((await response.json()) as { id: string }).id;
  });

  afterAll(async () => {
    if (monitorId) await open.request(`/v1/monitors/${monitorId}`, { method: 'DELETE' });
    await Promise.all([open.close(), guarded.close()]);
    await Promise.all([answering.close(), silent.close()]);
  });

  it('answers Prometheus text without a token, never cached, with the monitor’s series once a round is finalized', async () => {
    const scrape = async () => {
      const response = await fetch(`${open.baseUrl}/metrics`);
      expect(response.status).toBe(200);
      // Express puts the charset first; Prometheus reads the parameters in any order.
      expect(response.headers.get('content-type')).toMatch(/^text\/plain;(?=.*version=0\.0\.4)(?=.*charset=utf-8)/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      return samples(await response.text());
    };
    const all = await eventually(async () => {
      const current = await scrape();
      return valueOf(current, 'crosscheck_region_up', { monitor_id: monitorId, region: answering.region }) === 1 ? current : undefined;
    }, 10_000, 'the monitor’s up region in /metrics');

    const monitor = { monitor_id: monitorId, monitor: 'metrics \\"test\\"' };
    expect(valueOf(all, 'crosscheck_region_up', { ...monitor, region: answering.region })).toBe(1);
    expect(valueOf(all, 'crosscheck_region_up', { ...monitor, region: silent.region })).toBe(0);
    for (const [status, value] of [['up', 0], ['degraded', 0], ['down', 0], ['missing', 1]] as const) {
      expect(valueOf(all, 'crosscheck_region_status', { ...monitor, region: silent.region, status }), status).toBe(value);
    }
    expect(valueOf(all, 'crosscheck_region_status', { ...monitor, region: answering.region, status: 'up' })).toBe(1);
    // The fake agent reports 12 ms in all; it reports no other phase.
    expect(valueOf(all, 'crosscheck_check_duration_seconds', { monitor_id: monitorId, region: answering.region, phase: 'total' })).toBe(0.012);
    expect(valueOf(all, 'crosscheck_check_duration_seconds', { monitor_id: monitorId, region: answering.region, phase: 'dns' })).toBeUndefined();
    expect(valueOf(all, 'crosscheck_agents_live', { region: answering.region })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'crosscheck_queue_jobs', { queue: `checks:${answering.region}`, state: 'failed' })).toBe(0);
    expect(valueOf(all, 'crosscheck_rounds_total', { outcome: 'started' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'crosscheck_round_start_lag_seconds_count', {})).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'crosscheck_incidents_open', {})).toBeGreaterThanOrEqual(0);
    expect(valueOf(all, 'crosscheck_metrics_monitors_truncated', {})).toBe(0);

    // The classification is a state set over every classification, once the incident machine applied a round.
    const classified = await eventually(async () => {
      const current = await scrape();
      const states = current.filter((sample) => sample.name === 'crosscheck_monitor_classification' && sample.labels['monitor_id'] === monitorId);
      return states.some((sample) => sample.value === 1) ? states : undefined;
    }, 10_000, 'a classification in /metrics');
    expect(classified.map((sample) => sample.labels['classification']).sort()).toEqual(['degraded', 'masked_outage', 'operational', 'outage', 'regional_outage', 'unknown']);
    expect(classified.filter((sample) => sample.value === 1)).toHaveLength(1);
  });

  it('needs METRICS_TOKEN when it is set (an API token is not it), and is not rate limited', async () => {
    const none = await fetch(`${guarded.baseUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await none.json()) as { detail: string }).detail).toContain('METRICS_TOKEN');
    const apiToken = await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: `Bearer ${guarded.token}` } });
    expect(apiToken.status).toBe(401);
    await apiToken.body?.cancel();

    for (let scrape = 0; scrape < 4; scrape++) {
      const response = await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('# TYPE crosscheck_region_up gauge');
    }
    // The API still counts its own requests against the per-address limit.
    const statuses: number[] = [];
    for (let request = 0; request < 3; request++) statuses.push((await guarded.request('/v1/stats')).status);
    expect(statuses).toContain(429);
  });
});
