import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeRegions } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/**
 * Inputs that once reached a 500 (issue 8), and the rest of what a request body can get wrong
 * before any route sees it: each is a 4xx problem that names what is wrong.
 */
describe('request errors are 4xx problems, never 500', () => {
  let coordinator: TestCoordinator;
  const region = randomRegion('req');
  let monitorId = '';

  const valid = { name: 'request errors', url: 'https://example.test/health', regions: [region], intervalSeconds: 3_600 };

  async function problemOf(response: Response): Promise<{ statusCode: number; error: string; message: string; issues?: { path: string; message: string }[] }> {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return (await response.json()) as { statusCode: number; error: string; message: string; issues?: { path: string; message: string }[] };
  }

  beforeAll(async () => {
    coordinator = await startTestCoordinator();
    const created = await coordinator.request('/v1/monitors', { method: 'POST', json: valid });
    expect(created.status).toBe(201);
    monitorId = ((await created.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await coordinator.request(`/v1/monitors/${monitorId}`, { method: 'DELETE' });
    await coordinator.close();
    await purgeRegions([region]);
  });

  describe('Content-Encoding', () => {
    const post = (body: Uint8Array | string, encoding: string): Promise<Response> =>
      coordinator.request('/v1/monitors', { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-encoding': encoding } });

    it('a gzip body that does not decode is a 400 naming the encoding', async () => {
      const response = await post('this is not gzip at all', 'gzip');
      expect(response.status).toBe(400);
      const body = await problemOf(response);
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(body.message).toMatch(/gzip/);
    });

    it('a truncated gzip body is a 400', async () => {
      const whole = gzipSync(JSON.stringify(valid));
      const response = await post(whole.subarray(0, whole.length - 9), 'gzip');
      expect(response.status).toBe(400);
      expect((await problemOf(response)).message).toMatch(/gzip/);
    });

    it.each(['deflate', 'br'])('a %s body that does not decode is a 400', async (encoding) => {
      const response = await post('not compressed', encoding);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).message).toContain(encoding);
    });

    it('a valid gzip body is accepted', async () => {
      const response = await post(gzipSync(JSON.stringify({ ...valid, name: 'gzipped' })), 'gzip');
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    });

    it.each(['compress', 'x-unknown', 'gzip, gzip'])('an unsupported Content-Encoding %j is a 415 naming it', async (encoding) => {
      const response = await post(JSON.stringify(valid), encoding);
      expect(response.status).toBe(415);
      const body = await problemOf(response);
      expect(body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect(body.message).toContain(encoding);
    });

    it('a gzip body that inflates beyond the limit is a 413', async () => {
      const bomb = gzipSync(Buffer.from(JSON.stringify({ ...valid, description: 'x'.repeat(8 * 1024 * 1024) })));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const response = await post(bomb, 'gzip');
      expect(response.status).toBe(413);
      expect((await problemOf(response)).message).toMatch(/too large/);
    });
  });

  describe('bodies', () => {
    it('a body over the limit is a 413 naming the limit', async () => {
      const response = await coordinator.request('/v1/monitors', { method: 'POST', json: { ...valid, name: 'x'.repeat(3 * 1024 * 1024) } });
      expect(response.status).toBe(413);
      expect((await problemOf(response)).message).toMatch(/too large.*bytes/);
    });

    it('an unsupported charset is a 415', async () => {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        body: JSON.stringify(valid),
        headers: { 'content-type': 'application/json; charset=klingon' },
      });
      expect(response.status).toBe(415);
      expect((await problemOf(response)).message).toMatch(/charset/i);
    });

    // 30,000 levels fit the 64 KiB body limit, so the depth limit answers.
    it('JSON nested 30,000 levels deep is a 400', async () => {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        body: '['.repeat(30_000) + ']'.repeat(30_000),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).message).toMatch(/nests deeper than 64 levels/);
    });

    // A merge patch is applied recursively: 10,000 levels overflowed the stack (a 500).
    it.each([1_000, 10_000])('a merge patch nested %i levels deep is a 400', async (depth) => {
      const response = await coordinator.request(`/v1/monitors/${monitorId}`, {
        method: 'PATCH',
        body: `{"expect":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).message).toMatch(/nests deeper than 64 levels/);
    });

    it('JSON nested 100,000 levels deep (200 KB) meets the body limit first: a 413', async () => {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        body: '['.repeat(100_000) + ']'.repeat(100_000),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(413);
    });

    it('a body nested 64 levels deep is still read (and judged by its route)', async () => {
      const response = await coordinator.request(`/v1/monitors/${monitorId}`, {
        method: 'PATCH',
        body: `{"expect":${'{"a":'.repeat(62)}1${'}'.repeat(62)}}`,
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).issues?.[0]?.path).toBe('expect.a');
    });
  });

  describe('GET /v1/monitors/{id}/results cursor', () => {
    it('cursor=0-0 is a 400 naming cursor', async () => {
      const response = await coordinator.request(`/v1/monitors/${monitorId}/results?cursor=0-0`);
      expect(response.status).toBe(400);
      const body = await problemOf(response);
      expect(body.issues?.map((issue) => issue.path)).toEqual(['cursor']);
    });

    it.each(['0-1', '1-0', '1700000000000-0'])('cursor=%s is a page', async (cursor) => {
      const response = await coordinator.request(`/v1/monitors/${monitorId}/results?cursor=${cursor}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ items: [], nextCursor: null });
    });

    it.each(['99999999999999999-0', '1-99999999999999999', '-1-0', '1--1', '1-0&cursor=2-0'])('cursor=%s is a 400', async (cursor) => {
      const response = await coordinator.request(`/v1/monitors/${monitorId}/results?cursor=${cursor}`);
      expect(response.status).toBe(400);
    });
  });
});
