import type { MonitorView } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { bodyOfForm, emptyForm, fieldOfIssue, formOfMonitor, issuesByField } from './monitor-form';

const monitor = {
  id: 'mon_2b4kq7xa3dhv6mnpz2re',
  key: 'mon_2b4kq7xa3dhv6mnpz2re',
  revision: 3,
  name: 'shop',
  regions: ['eu-west', 'us-east'],
  intervalSeconds: 30,
  reconcile: { quorum: 0.5, minRegions: 1, outageQuorum: 0.5 },
  incidents: { openAfter: 2, resolveAfter: 2, openOnDegraded: true },
  spec: {
    url: 'https://shop.example/',
    method: 'GET',
    headers: { authorization: '[redacted]' },
    timeoutMs: 5000,
    followRedirects: true,
    maxRedirects: 5,
    maxBodyBytes: 1048576,
    maxHeaderBytes: 16384,
    tls: { verify: true, expiryWarningDays: 14 },
    conditional: false,
    resolve: [],
    expect: { body: { contains: ['marker'], notContains: [], matches: [], notMatches: [] }, json: [], headers: [], latency: { degradedMs: 3000 } },
    detectors: { healthDocument: true, softError: true, errorPage: true, cache: true, authWall: true, certificate: true },
  },
  createdAt: '2026-11-25T09:15:26.128Z',
  updatedAt: '2026-11-25T09:15:26.128Z',
} as unknown as MonitorView;

describe('bodyOfForm', () => {
  it('sends what is filled in, as typed, and leaves out what takes a default', () => {
    const values = { ...emptyForm(), name: ' shop ', url: 'not a url', regions: 'eu-west, us-east,ap-south , EU West', intervalSeconds: '10', expectStatus: '200, 2xx', timeoutMs: 'soon' };
    expect(bodyOfForm(values)).toEqual({
      body: { name: 'shop', url: 'not a url', method: 'GET', regions: ['eu-west', 'us-east', 'ap-south', 'EU West'], intervalSeconds: 10, timeoutMs: 'soon', expect: { status: [200, '2xx'] } },
    });
  });

  it('merges the advanced JSON over the fields, and says when it is not an object', () => {
    const values = { ...emptyForm(), name: 'x', url: 'https://x.test/', regions: 'a', bodyContains: 'ok', advanced: '{"headers": {"x-probe": "1"}, "expect": {"json": [{"path": "$.ok"}]}}' };
    expect(bodyOfForm(values)).toEqual({
      body: { name: 'x', url: 'https://x.test/', method: 'GET', regions: ['a'], intervalSeconds: 60, headers: { 'x-probe': '1' }, expect: { body: { contains: ['ok'] }, json: [{ path: '$.ok' }] } },
    });
    expect(bodyOfForm({ ...values, advanced: '[1]' })).toEqual({ advancedError: expect.stringMatching(/must be a JSON object/) });
    expect(bodyOfForm({ ...values, advanced: '{' })).toEqual({ advancedError: expect.stringMatching(/is not JSON/) });
  });

  it('edits from the monitor as shown: what the form does not show is kept, cleared fields are cleared', () => {
    const values = { ...formOfMonitor(monitor), name: 'shop 2', bodyContains: '', cacheBypass: 'off' as const };
    const built = bodyOfForm(values, monitor);
    expect('body' in built && built.body).toMatchObject({
      name: 'shop 2',
      regions: ['eu-west', 'us-east'],
      intervalSeconds: 30,
      headers: { authorization: '[redacted]' },
      cacheBypass: false,
      incidents: { openAfter: 2, resolveAfter: 2, openOnDegraded: true },
      expect: { body: { contains: [] }, latency: { degradedMs: 3000 } },
    });
    expect('body' in built && 'key' in built.body).toBe(false);
    expect(monitor.spec.expect.body.contains).toEqual(['marker']);
  });
});

describe('the API’s issues by field', () => {
  it.each([
    ['url', 'url'],
    ['regions.1', 'regions'],
    ['expect.status.0', 'expectStatus'],
    ['expect.latency.degradedMs', 'degradedMs'],
    ['expect.json.0.path', 'advanced'],
    ['incidents.openAfter', 'openAfter'],
    ['', 'advanced'],
  ])('%s is shown at %s', (path, field) => {
    expect(fieldOfIssue(path)).toBe(field);
  });

  it('names the item when the issue is about one', () => {
    expect(
      issuesByField([
        { path: 'url', message: 'must be an absolute http:// or https:// URL' },
        { path: 'regions.1', message: 'must be a region name' },
        { path: 'expect.json.0.path', message: 'must start with "$"' },
      ]),
    ).toEqual({
      url: ['must be an absolute http:// or https:// URL'],
      regions: ['regions.1: must be a region name'],
      advanced: ['expect.json.0.path: must start with "$"'],
    });
  });
});
