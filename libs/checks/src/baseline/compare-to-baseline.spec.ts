import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate';
import { observationOf, specOf, type ObservationInput } from '../testing/observation-fixtures';
import type { Baseline } from './baseline';
import { learnFrom } from '../testing/learned-baseline';

function healthFixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'detectors', 'health-document', '__fixtures__', name), 'utf8');
}

const spec = specOf();
const IETF = { headers: { 'content-type': 'application/health+json', server: 'api/1.4' }, body: healthFixture('ietf-health-pass.json') };
const API = { headers: { 'content-type': 'application/json', server: 'api/1.4' }, body: JSON.stringify({ id: 7, name: 'shop', items: [], total: 0, currency: 'EUR', page: 1 }) };
const HTML = {
  headers: { 'content-type': 'text/html; charset=utf-8', server: 'nginx' },
  body: `<!doctype html><html><head><title>Shop</title></head><body>${'<p>products</p>'.repeat(40)}</body></html>`,
};

function learned(input: ObservationInput, rounds = 3): Baseline {
  const baseline = learnFrom(spec, Array.from({ length: rounds }, () => observationOf(input)));
  if (!baseline) throw new Error('no baseline learned');
  return baseline;
}

function judge(baseline: Baseline, input: ObservationInput) {
  const verdict = evaluate(spec, observationOf(input), { baseline });
  return { verdict, changed: verdict.causes.filter((c) => c.code === 'content_changed') };
}

describe('compareToBaseline, through evaluate', () => {
  it('a JSON health document replaced by a 200 text/plain page no detector knows ("Back shortly.") is down', () => {
    const body = 'Back shortly.';
    const { verdict, changed } = judge(learned(IETF), { headers: { 'content-type': 'text/plain', server: 'api/1.4' }, body });
    expect(verdict.status).toBe('down');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      severity: 'down',
      evidence: { field: 'kind', before: 'application/health+json (health document, dialect ietf)', after: 'text/plain', beforeKind: 'health', afterKind: 'text' },
    });
    expect(changed[0]?.message).toContain(`the health document (application/health+json, ietf dialect) is gone: now a ${body.length}-byte text/plain page`);
  });

  it('a JSON health document replaced by an HTML page is down', () => {
    const { verdict, changed } = judge(learned(IETF), { headers: { 'content-type': 'text/html', server: 'api/1.4' }, body: '<html><head><title>Welcome</title></head><body>Welcome!</body></html>' });
    expect(verdict.status).toBe('down');
    expect(changed[0]).toMatchObject({ severity: 'down', evidence: { after: 'text/html (HTML page "Welcome")' } });
  });

  it('an API JSON document replaced by text is down, though the media type still says JSON', () => {
    const { verdict, changed } = judge(learned(API), { headers: { 'content-type': 'application/json', server: 'api/1.4' }, body: 'upstream connect error' });
    expect(verdict.status).toBe('down');
    expect(changed[0]?.message).toMatch(/^the JSON document \(application\/json\) is gone/);
  });

  it('an HTML page turned into text/plain is down: the media type family changed', () => {
    const { changed } = judge(learned(HTML), { headers: { 'content-type': 'text/plain', server: 'nginx' }, body: 'We are down for maintenance, back soon. '.repeat(20) });
    expect(changed[0]).toMatchObject({ severity: 'down', evidence: { field: 'mediaType', beforeMediaType: 'text/html', afterMediaType: 'text/plain' } });
  });

  it('a changed HTML title is degraded, with both titles', () => {
    const { verdict, changed } = judge(learned(HTML), { ...HTML, body: HTML.body.replace('<title>Shop</title>', '<title>Shop – Black Friday deals</title>') });
    expect(verdict.status).toBe('degraded');
    expect(changed[0]).toMatchObject({ severity: 'degraded', evidence: { field: 'htmlTitle', beforeTitle: 'Shop', afterTitle: 'Shop – Black Friday deals' } });
    expect(changed[0]?.message).toContain('the HTML title changed from "Shop" to "Shop – Black Friday deals"');
  });

  it('a health dependency gone is degraded', () => {
    const doc = JSON.parse(IETF.body) as { checks: Record<string, unknown> };
    delete doc.checks['redis:responseTime'];
    const { verdict, changed } = judge(learned(IETF), { ...IETF, body: JSON.stringify(doc, null, 2) });
    expect(verdict.status).toBe('degraded');
    expect(changed[0]).toMatchObject({ severity: 'degraded', evidence: { field: 'dependencies', lostDependencies: ['redis:responseTime'] } });
  });

  it('most JSON keys gone is degraded; a few is info; added keys are nothing', () => {
    const most = judge(learned(API), { ...API, body: JSON.stringify({ id: 7, name: 'shop' }) });
    expect(most.changed[0]).toMatchObject({ severity: 'degraded', evidence: { field: 'jsonKeys', lostKeys: ['currency', 'items', 'page', 'total'] } });
    const few = judge(learned(API), { ...API, body: JSON.stringify({ id: 7, name: 'shop', items: [], total: 0, currency: 'EUR' }) });
    expect(few.verdict.status).toBe('up');
    expect(few.changed[0]).toMatchObject({ severity: 'info', evidence: { lostKeys: ['page'] } });
    const added = judge(learned(API), { ...API, body: JSON.stringify({ ...(JSON.parse(API.body) as object), next: null }) });
    expect(added.verdict.status).toBe('up');
    expect(added.changed).toEqual([]);
  });

  it('a size jump of three bands or a new Server is info', () => {
    const big = judge(learned(HTML), { ...HTML, body: HTML.body.replace('</body>', `${'<p>more</p>'.repeat(1000)}</body>`) });
    expect(big.verdict.status).toBe('up');
    expect(big.changed[0]).toMatchObject({ severity: 'info', evidence: { field: 'sizeBand' } });
    const server = judge(learned(HTML), { ...HTML, headers: { ...HTML.headers, server: 'cloudflare' } });
    expect(server.verdict.status).toBe('up');
    expect(server.changed[0]).toMatchObject({ severity: 'info', evidence: { field: 'server', beforeServer: 'nginx', afterServer: 'cloudflare' } });
  });

  it('the same shape again is nothing, and the verdict carries the validators', () => {
    const { verdict, changed } = judge(learned(IETF), IETF);
    expect(verdict.status).toBe('up');
    expect(changed).toEqual([]);
    expect(verdict.evidence.content).toEqual({ version: '1', bodyHash: expect.stringMatching(/^[0-9a-f]{13}$/) as unknown });
  });

  it('judges nothing before learnRounds, under another spec, when disabled, or on a non-2xx', () => {
    const text = { headers: { 'content-type': 'text/plain', server: 'api/1.4' }, body: 'pong' };
    const early = learned(IETF, 2);
    expect(evaluate(spec, observationOf(text), { baseline: early }).status).toBe('up');
    const baseline = learned(IETF);
    expect(evaluate(specOf({ url: 'https://status.example.com/ready' }), observationOf({ ...text, url: 'https://status.example.com/ready' }), { baseline }).status).toBe('up');
    expect(evaluate(specOf({ baseline: { enabled: false } }), observationOf(text), { baseline }).status).toBe('up');
    const notFound = evaluate(specOf({ expect: { status: [200, 404] } }), observationOf({ ...text, status: 404 }), { baseline });
    expect(notFound.causes.map((c) => c.code)).not.toContain('content_changed');
    const failing = evaluate(spec, observationOf({ ...text, status: 503 }), { baseline });
    expect(failing.causes.map((c) => c.code)).toEqual(['status_mismatch']);
  });

  it("still says what a 2xx already down for another reason replaced: an operator's text where the health document was", () => {
    const text = { headers: { 'content-type': 'text/plain', server: 'api/1.4' }, body: 'Service temporarily unavailable, please try again later' };
    const verdict = evaluate(spec, observationOf(text), { baseline: learned(IETF) });
    expect(verdict.status).toBe('down');
    expect(verdict.causes.map((c) => c.code)).toEqual(expect.arrayContaining(['operator_page', 'content_changed']));
    // The operator's page decides; what it replaced is told, not counted twice.
    expect(verdict.causes.find((c) => c.code === 'content_changed')?.severity).toBe('info');
    expect(verdict.causes.filter((c) => c.severity === 'down').map((c) => c.code)).toEqual(['operator_page']);
  });

  it('without a baseline, evaluation is as before', () => {
    const observation = observationOf({ headers: { 'content-type': 'text/plain' }, body: 'Service temporarily unavailable' });
    const verdict = evaluate(spec, observation);
    expect(verdict.causes.map((c) => c.code)).not.toContain('content_changed');
    expect(evaluate(spec, observation, {})).toEqual(verdict);
  });
});
