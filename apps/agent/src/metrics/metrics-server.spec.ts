import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from './metrics-server';

describe('the agent’s metrics server', () => {
  let server: MetricsServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the checks, probe errors, in-flight checks, event-loop lag and memory budget at /metrics', async () => {
    let inFlight = 3;
    server = await startMetricsServer({ inFlight: () => inFlight, memory: () => ({ usedBytes: 1_024, limitBytes: 4_096 }) }, { port: 0, host: '127.0.0.1' });
    server.metrics.ended('up');
    server.metrics.ended('up');
    server.metrics.ended('down');
    server.metrics.ended('dropped');
    server.metrics.probeFailed('connection_refused');

    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).toContain('crosscheck_agent_checks_total{status="up"} 2\n');
    expect(text).toContain('crosscheck_agent_checks_total{status="down"} 1\n');
    expect(text).toContain('crosscheck_agent_checks_total{status="dropped"} 1\n');
    expect(text).toContain('crosscheck_agent_probe_errors_total{code="connection_refused"} 1\n');
    expect(text).toContain('crosscheck_agent_checks_in_flight 3\n');
    expect(text).toContain('crosscheck_agent_memory_budget_bytes{kind="used"} 1024\n');
    expect(text).toContain('crosscheck_agent_memory_budget_bytes{kind="limit"} 4096\n');
    expect(text).toMatch(/^crosscheck_agent_event_loop_lag_seconds \d/m);
    // Nothing but its own: no default process metrics.
    expect(text).not.toContain('nodejs_');
    expect(text).not.toContain('process_');

    inFlight = 0;
    expect(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text()).toContain('crosscheck_agent_checks_in_flight 0\n');
  });

  it('answers 404 off /metrics and 405 to other methods', async () => {
    server = await startMetricsServer({ inFlight: () => 0, memory: () => undefined }, { port: 0, host: '127.0.0.1' });
    const elsewhere = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toContain('/metrics');
    const post = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.body?.cancel();
    // Before the agent started there is no budget to show: the series is absent, not 0.
    expect(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text()).not.toContain('crosscheck_agent_memory_budget_bytes{');
  });

  it('fails to start with the reason when the port is taken', async () => {
    server = await startMetricsServer({ inFlight: () => 0, memory: () => undefined }, { port: 0, host: '127.0.0.1' });
    await expect(startMetricsServer({ inFlight: () => 0, memory: () => undefined }, { port: server.port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
  });
});
