import { gzipSync } from 'node:zlib';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { BYPASS_PARAMETER } from './bypass-request';
import { probe } from './probe';

const ORIGIN = 'http://status.example.test';
let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  // Nothing reaches the network: an unmatched request fails the test instead.
  agent.disableNetConnect();
});

afterEach(async () => {
  await agent.close();
});

function specOf(input: Partial<MonitorSpecInput> = {}) {
  return compileMonitorSpec({ url: `${ORIGIN}/health`, cacheBypass: false, ...input });
}

describe('probe with an injected dispatcher', () => {
  it('uses the dispatcher as is: response recorded, no socket-level facts', async () => {
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).reply(200, '{"status":"ok"}', {
      headers: { 'content-type': 'application/json' },
    });
    const observation = await probe(specOf(), { dispatcher: agent });

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ status: 200, body: '{"status":"ok"}', headers: { 'content-type': 'application/json' } });
    expect(observation.remoteAddress).toBeUndefined();
    expect(observation.tls).toBeUndefined();
    expect(observation.timings.dns).toBeUndefined();
    expect(observation.timings.connect).toBeUndefined();
    expect(observation.timings.firstByte).toBeGreaterThanOrEqual(0);
  });

  it('follows redirects itself and decodes the body', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/health', method: 'GET' }).reply(301, '', { headers: { location: '/v2/health' } });
    pool.intercept({ path: '/v2/health', method: 'GET' }).reply(200, gzipSync('healthy'), { headers: { 'content-encoding': 'gzip' } });
    const observation = await probe(specOf(), { dispatcher: agent });

    expect(observation.error).toBeUndefined();
    expect(observation.redirects).toEqual([{ url: `${ORIGIN}/health`, status: 301, location: '/v2/health' }]);
    expect(observation.response).toMatchObject({ body: 'healthy', contentEncoding: 'gzip' });
  });

  it('still refuses an IP-literal redirect target in a blocked range', async () => {
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).reply(302, '', { headers: { location: 'http://169.254.169.254/' } });
    const observation = await probe(specOf(), { dispatcher: agent });

    expect(observation.error).toMatchObject({ code: 'blocked_target', phase: 'connect', url: 'http://169.254.169.254/' });
  });

  it('makes the bypass request through the same dispatcher', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/health', method: 'GET' }).reply(200, 'cached');
    pool
      .intercept({ path: (path) => path.startsWith(`/health?${BYPASS_PARAMETER}=`), method: 'GET', headers: { 'cache-control': 'no-cache' } })
      .reply(200, 'fresh');
    const observation = await probe(specOf({ cacheBypass: true }), { dispatcher: agent });

    expect(observation.response?.body).toBe('cached');
    expect(observation.bypass?.response?.body).toBe('fresh');
  });

  it('bounds header size after the fact', async () => {
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).reply(200, 'ok', { headers: { 'x-filler': 'x'.repeat(4096) } });
    const observation = await probe(specOf({ maxHeaderBytes: 1024 }), { dispatcher: agent });

    expect(observation.error).toMatchObject({ code: 'headers_too_large', phase: 'headers' });
  });

  it('keeps the deadline when the dispatcher is slow', async () => {
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).reply(200, 'late').delay(2_000);
    const started = performance.now();
    const observation = await probe(specOf({ timeoutMs: 300 }), { dispatcher: agent });

    expect(observation.error).toMatchObject({ code: 'timeout', phase: 'headers' });
    expect(performance.now() - started).toBeLessThan(700);
  });
});
