import { compileMonitorSpec, incidentPolicySchema, monitorSpecSchema, reconcilePolicySchema, type MonitorSpecInput } from '@crosscheck/checks';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretOpenError } from '../secrets/secret-box';
import type { Monitor } from './monitor';
import { needsSealing, openMonitor, presentMonitor, sealMonitor, storedView } from './monitor-secrets';
import { keepStoredSecrets } from './secret-placeholders';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);

function monitorWith(spec: MonitorSpecInput): Monitor {
  return {
    id: 'mon_aaaaaaaaaaaaaaaaaaaa',
    name: 'm',
    regions: ['eu'],
    intervalSeconds: 60,
    reconcile: reconcilePolicySchema.parse({}),
    incidents: incidentPolicySchema.parse({}),
    spec: monitorSpecSchema.parse(spec),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const secretMonitor = monitorWith({
  url: 'https://alice:pa55@shop.example/health',
  headers: { 'X-Api-Key': 'k3y', 'X-Custom': 'c0stom', Accept: 'application/json' },
  secretHeaders: ['x-custom'],
});

describe('sealMonitor / openMonitor', () => {
  it('stores the monitor as shown plus its secrets sealed, and opens them back', () => {
    const box = new SecretBox(newKey);
    const stored = sealMonitor(secretMonitor, box);
    const text = JSON.stringify(stored);
    for (const secret of ['pa55', 'alice', 'k3y', 'c0stom']) expect(text).not.toContain(secret);
    expect(stored.spec.url).toBe('https://***@shop.example/health');
    expect(stored.spec.headers).toEqual({ 'X-Api-Key': '[redacted]', 'X-Custom': '[redacted]', Accept: 'application/json' });
    expect(Object.keys(stored.sealed?.headers ?? {})).toEqual(['X-Api-Key', 'X-Custom']);
    expect(openMonitor(JSON.parse(text), box)).toEqual(secretMonitor);
    expect(storedView(JSON.parse(text))).toEqual(presentMonitor(secretMonitor));
    // The real values still compile into a probe-able spec.
    expect(compileMonitorSpec(openMonitor(JSON.parse(text), box).spec).headers['X-Api-Key']).toBe('k3y');
  });

  it('stores a monitor without secrets as it is, with nothing sealed', () => {
    const plain = monitorWith({ url: 'https://shop.example/health', headers: { Accept: 'text/html' } });
    expect(sealMonitor(plain, new SecretBox(newKey))).toEqual(plain);
  });

  it('opens values sealed under a previous key, and says which monitors to write again', () => {
    const old = sealMonitor(secretMonitor, new SecretBox(oldKey));
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(openMonitor(old, rotated)).toEqual(secretMonitor);
    expect(needsSealing(old, rotated)).toBe(true);
    expect(needsSealing(sealMonitor(secretMonitor, rotated), rotated)).toBe(false);
    expect(() => openMonitor(old, new SecretBox(newKey))).toThrow(SecretOpenError);
  });

  it('says a monitor stored before sealing (secrets in clear) must be written again', () => {
    const box = new SecretBox(newKey);
    expect(needsSealing(secretMonitor, box)).toBe(true);
    expect(needsSealing(monitorWith({ url: 'https://u:p@a.example/' }), box)).toBe(true);
    expect(needsSealing(monitorWith({ url: 'https://a.example/', headers: { Cookie: 'a=1' } }), box)).toBe(true);
    expect(needsSealing(monitorWith({ url: 'https://a.example/', headers: { Accept: 'text/html' } }), box)).toBe(false);
  });
});

describe('keepStoredSecrets', () => {
  const stored = secretMonitor.spec;
  const shown = presentMonitor(secretMonitor).spec;

  it('puts the stored secrets back where the monitor comes back as shown', () => {
    expect(keepStoredSecrets(shown, stored)).toEqual({ spec: stored, issues: [] });
  });

  it('matches header names without regard to case, and keeps a new value as sent', () => {
    const next = { ...shown, headers: { 'x-api-key': '[redacted]', 'X-Custom': 'n3w' } };
    expect(keepStoredSecrets(next, stored)).toEqual({ spec: { ...next, url: stored.url, headers: { 'x-api-key': 'k3y', 'X-Custom': 'n3w' } }, issues: [] });
  });

  it('keeps them for a new path on the same origin', () => {
    const next = { ...shown, url: 'https://shop.example/other' };
    expect(keepStoredSecrets(next, stored).spec.headers['X-Api-Key']).toBe('k3y');
    expect(keepStoredSecrets(next, stored).spec.url).toBe('https://shop.example/other');
  });

  it.each([
    { name: 'nothing stored', next: shown, from: null, paths: ['url', 'headers.X-Api-Key', 'headers.X-Custom'] },
    { name: 'another host', next: { ...shown, url: 'https://evil.example/health' }, from: stored, paths: ['headers.X-Api-Key', 'headers.X-Custom'] },
    { name: 'another scheme', next: { ...shown, url: 'http://shop.example/health' }, from: stored, paths: ['headers.X-Api-Key', 'headers.X-Custom'] },
    { name: 'another port', next: { ...shown, url: 'https://shop.example:8443/health' }, from: stored, paths: ['headers.X-Api-Key', 'headers.X-Custom'] },
    { name: 'new resolve overrides', next: { ...shown, resolve: ['shop.example:443:10.0.0.1'] }, from: stored, paths: ['url', 'headers.X-Api-Key', 'headers.X-Custom'] },
    { name: 'the URL placeholder in a changed URL', next: { ...shown, url: 'https://***@shop.example/other' }, from: stored, paths: ['url'] },
    { name: 'a header with no stored value', next: { ...shown, headers: { 'X-Other-Token': '[redacted]' } }, from: stored, paths: ['headers.X-Other-Token'] },
  ])('refuses a placeholder it cannot keep: $name', ({ next, from, paths }) => {
    expect(keepStoredSecrets(next, from).issues.map((issue) => issue.path).sort()).toEqual([...paths].sort());
  });
});
