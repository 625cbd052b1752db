import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, retryAfterMs } from './api-client';
import { ApiError } from './api-error';

/** A coordinator stand-in on loopback that answers 429 (with `retryAfter`) `limited` times, then 200. */
async function rateLimitedServer(limited: number, retryAfter: string | null): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    if (requests <= limited) {
      response.writeHead(429, { 'content-type': 'application/problem+json', ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) });
      response.end(JSON.stringify({ status: 429, title: 'Too Many Requests', detail: 'rate limit of this token reached' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', etag: '"7"' });
    response.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests, server };
}

describe('ApiClient and rate limits', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('waits out each 429 for its Retry-After and sends the request again, saying so', async () => {
    const target = await rateLimitedServer(2, '3');
    servers.push(target.server);
    const waits: number[] = [];
    const notices: string[] = [];
    const client = new ApiClient({ baseUrl: target.url, token: 't' }, { sleep: async (ms) => void waits.push(ms), onRateLimited: (m) => notices.push(m) });
    const answer = await client.request<{ ok: boolean }>('PUT', '/v1/monitors/mon_x', { query: { dryRun: true }, body: { a: 1 } });
    expect(answer).toEqual({ status: 200, body: { ok: true }, revision: 7 });
    expect(target.requests()).toBe(3);
    expect(waits).toEqual([3_000, 3_000]);
    expect(notices[0]).toBe('the coordinator rate-limits this token (429): waiting 3 s before PUT /v1/monitors/mon_x?dryRun=true again');
  });

  it('gives up with the 429 once waiting would pass five minutes in all', async () => {
    const target = await rateLimitedServer(100, '60');
    servers.push(target.server);
    const waits: number[] = [];
    const client = new ApiClient({ baseUrl: target.url, token: undefined }, { sleep: async (ms) => void waits.push(ms) });
    const error = await client.get('/v1/monitors').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toContain('rate limit of this token reached');
    expect(waits).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
    expect(target.requests()).toBe(6);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it.each([
    ['7', 7_000],
    ['0', 1_000],
    ['3600', 60_000],
    ['Tue, 01 Dec 2026 12:00:20 GMT', 20_000],
    ['Tue, 01 Dec 2026 11:00:00 GMT', 1_000],
    ['soon', 1_000],
    [null, 1_000],
  ])('%s -> %i ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
