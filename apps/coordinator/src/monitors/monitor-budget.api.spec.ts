import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeRegions } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

interface Problem {
  statusCode: number;
  message: string;
  issues?: { path: string; message: string }[];
}

/**
 * The cost budget of a monitor, through the API: what used to stop a region (a spec of 1,900
 * regular expressions held the event loop for 38 s) is refused with a 4xx naming the field.
 */
describe('monitors API: the cost budget of a monitor', () => {
  let coordinator: TestCoordinator;
  const region = randomRegion('budget');
  const created: string[] = [];

  const valid = (overrides: Record<string, unknown> = {}) => ({
    name: 'Budget',
    regions: [region],
    intervalSeconds: 3_600,
    url: 'https://example.test/health',
    ...overrides,
  });

  async function post(body: unknown): Promise<{ status: number; problem: Problem }> {
    const response = await coordinator.request('/v1/monitors', { method: 'POST', json: body });
    const problem = (await response.json()) as Problem & { id?: string };
    if (response.status === 201 && problem.id) created.push(problem.id);
    return { status: response.status, problem };
  }

  function pathsOf(problem: Problem): string[] {
    return (problem.issues ?? []).map((issue) => issue.path);
  }

  beforeAll(async () => {
    coordinator = await startTestCoordinator();
  });

  afterAll(async () => {
    for (const id of created) await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    await coordinator.close();
    await purgeRegions([region]);
  });

  it('refuses the 1.3 MB spec of 1,900 regular expressions before parsing it (413; it took 38 s with the event loop blocked)', async () => {
    const matches = Array.from({ length: 1_900 }, (_, i) => `(?i)(error|failure|exception)\\s+code\\s*[:=]\\s*${i}[0-9a-f]{4,32}(?:\\s+at\\s+\\S+){0,8}`);
    const { status, problem } = await post(valid({ expect: { body: { matches } } }));
    expect(status).toBe(413);
    expect(problem.message).toMatch(/too large/);
  });

  it('refuses 1,900 short regular expressions that fit in 64 KiB with a 400 naming expect.body.matches', async () => {
    const matches = Array.from({ length: 1_900 }, (_, i) => `e${i}[0-9]+`);
    const { status, problem } = await post(valid({ expect: { body: { matches } } }));
    expect(status).toBe(400);
    expect(pathsOf(problem)).toContain('expect.body.matches');
  });

  it('refuses a body over 64 KiB before parsing it (413)', async () => {
    const { status, problem } = await post(valid({ expect: { body: { contains: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(4_000, 'x')) } } }));
    expect(status).toBe(413);
    expect(problem.message).toMatch(/too large/);
  });

  it('refuses a merge patch that grows the monitor past 64 KiB', async () => {
    const { status, problem } = await post(valid({ method: 'POST', body: 'b'.repeat(32_000) }));
    expect(status).toBe(201);
    const id = (problem as unknown as { id: string }).id;
    const json = Array.from({ length: 32 }, (_, i) => ({ path: `$.${'a'.repeat(500)}${i}`, op: 'equals', value: 'v'.repeat(500) }));
    const response = await coordinator.request(`/v1/monitors/${id}`, { method: 'PATCH', json: { expect: { json } } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).issues).toEqual([{ path: '', message: expect.stringMatching(/more than the 65536 allowed/) }]);
  });

  it('refuses 17 regions', async () => {
    const { status, problem } = await post(valid({ regions: Array.from({ length: 17 }, (_, i) => `${region}-${i}`) }));
    expect(status).toBe(400);
    expect(pathsOf(problem)).toEqual(['regions']);
  });

  it.each([
    ['a control character', 'abc\u0001def'],
    ['DEL', 'abc\u007fdef'],
    ['a character outside Latin-1', 'price in €'],
    ['a vertical tab', 'a\u000bb'],
  ])('refuses a header value with %s at creation, not at every probe', async (_name, value) => {
    const { status, problem } = await post(valid({ headers: { 'X-Trace': value } }));
    expect(status).toBe(400);
    expect(pathsOf(problem)).toEqual(['headers.X-Trace']);
  });

  it('refuses a tls.ca that is not a valid PEM certificate at creation, naming tls.ca', async () => {
    const { status, problem } = await post(valid({ tls: { ca: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' } }));
    expect(status).toBe(400);
    expect(pathsOf(problem)).toEqual(['tls.ca']);
  });

  it('refuses a tls.ca without any certificate', async () => {
    const { status, problem } = await post(valid({ tls: { ca: 'just some text' } }));
    expect(status).toBe(400);
    expect(pathsOf(problem)).toEqual(['tls.ca']);
  });
});
