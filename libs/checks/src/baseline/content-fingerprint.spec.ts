import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextOf, observationOf, specOf } from '../testing/observation-fixtures';
import { bodyHashOf, fnv1a32, hash52 } from './body-hash';
import { fingerprintOf } from '../evaluate/fingerprint-of';
import { fingerprintResponse, sizeBandOf, type ContentFingerprint } from './content-fingerprint';
import { contentValidatorsOf } from './content-validators';

function healthFixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'detectors', 'health-document', '__fixtures__', name), 'utf8');
}

type Shape = Omit<ContentFingerprint, 'validators' | 'sizeBand'>;

describe('fingerprintResponse: the shape of a response', () => {
  const cases: [string, { headers: Record<string, string>; body: string }, Shape][] = [
    [
      'an IETF health document (application/health+json)',
      { headers: { 'content-type': 'application/health+json', server: 'api/1.4' }, body: healthFixture('ietf-health-pass.json') },
      {
        mediaType: 'application/health+json',
        kind: 'health',
        healthDialect: 'ietf-health',
        dependencies: ['redis:responseTime', 'uptime'],
        jsonKeys: ['checks', 'releaseId', 'status', 'version'],
        server: 'api/1.4',
      },
    ],
    [
      'a Spring Boot 3 Actuator document with a composite, every dependency named',
      { headers: { 'content-type': 'application/vnd.spring-boot.actuator.v3+json' }, body: healthFixture('spring-boot-3-up.json') },
      {
        mediaType: 'application/vnd.spring-boot.actuator.v3+json',
        kind: 'health',
        healthDialect: 'spring-actuator',
        dependencies: ['broker', 'broker.us1', 'broker.us2', 'db', 'diskSpace', 'ping'],
        jsonKeys: ['components', 'status'],
      },
    ],
    [
      'a NestJS Terminus document',
      { headers: { 'content-type': 'application/json; charset=utf-8' }, body: healthFixture('nestjs-terminus-ok.json') },
      { mediaType: 'application/json', kind: 'health', healthDialect: 'simple', dependencies: ['database', 'memory_heap'], jsonKeys: ['details', 'error', 'info', 'status'] },
    ],
    [
      "ASP.NET Core's plain-text writer",
      { headers: { 'content-type': 'text/plain' }, body: healthFixture('dotnet-plain-healthy.txt') },
      { mediaType: 'text/plain', kind: 'health', healthDialect: 'dotnet', dependencies: [] },
    ],
    [
      'a JSON API payload (not health)',
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [1, 2], total: 2, page: 1 }) },
      { mediaType: 'application/json', kind: 'json', jsonKeys: ['items', 'page', 'total'] },
    ],
    [
      'a JSON array',
      { headers: { 'content-type': 'application/json' }, body: '[1,2,3]' },
      { mediaType: 'application/json', kind: 'json' },
    ],
    [
      'an HTML page with a title',
      { headers: { 'content-type': 'text/html; charset=utf-8', server: 'nginx/1.22.1' }, body: '<!doctype html><html><head><title>Shop &amp; Co</title></head><body>hi</body></html>' },
      { mediaType: 'text/html', kind: 'html', htmlTitle: 'Shop & Co', server: 'nginx/1.22.1' },
    ],
    [
      'operator text where JSON was promised (application/json that does not parse)',
      { headers: { 'content-type': 'application/json' }, body: 'Service temporarily unavailable' },
      { mediaType: 'application/json', kind: 'text' },
    ],
    ['plain text', { headers: { 'content-type': 'text/plain' }, body: 'OK' }, { mediaType: 'text/plain', kind: 'text' }],
    ['an untyped text body', { headers: {}, body: 'pong' }, { mediaType: '', kind: 'text' }],
    ['an empty body', { headers: { 'content-type': 'text/plain' }, body: '' }, { mediaType: 'text/plain', kind: 'empty' }],
    ['a binary type', { headers: { 'content-type': 'image/png' }, body: '\u0089PNG' }, { mediaType: 'image/png', kind: 'other' }],
  ];

  it.each(cases)('%s', (_name, input, shape) => {
    const fingerprint = fingerprintResponse(contextOf(input));
    const { validators, sizeBand, ...rest } = fingerprint;
    expect(rest).toEqual(shape);
    expect(sizeBand).toBe(sizeBandOf(Buffer.byteLength(input.body)));
    expect(validators.bodyHash).toBe(bodyHashOf(input.body));
  });

  it('bounds what it keeps: 32 keys at most, titles and Server clipped', () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${String(i).padStart(2, '0')}`, i])));
    const json = fingerprintResponse(contextOf({ headers: { 'content-type': 'application/json', server: 's'.repeat(200) }, body }));
    expect(json.jsonKeys).toHaveLength(32);
    expect(json.jsonKeys?.[0]).toBe('key00');
    expect(json.server).toHaveLength(64);
    const html = fingerprintResponse(contextOf({ headers: { 'content-type': 'text/html' }, body: `<html><title>${'t'.repeat(300)}</title></html>` }));
    expect(html.htmlTitle).toHaveLength(120);
  });

  it('fingerprintOf gives nothing without a response, and the same as fingerprintResponse with one', () => {
    const spec = specOf();
    const failed = observationOf({ outcome: { response: undefined, error: { code: 'connection_refused', phase: 'connect', message: 'refused', url: 'https://status.example.com/health' } } });
    expect(fingerprintOf(spec, failed)).toBeUndefined();
    const input = { headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' };
    expect(fingerprintOf(spec, observationOf(input))).toEqual(fingerprintResponse(contextOf(input)));
  });
});

describe('contentValidatorsOf: what tells one copy from the next', () => {
  const cases: [string, { headers?: Record<string, string>; body: string }, Record<string, string | undefined>][] = [
    ['ETag and Last-Modified', { headers: { etag: '"abc"', 'last-modified': 'Sun, 01 Nov 2026 11:00:00 GMT' }, body: 'x' }, { etag: '"abc"', lastModified: 'Sun, 01 Nov 2026 11:00:00 GMT' }],
    ['a top-level version', { body: '{"status":"ok","version":"1.4.2"}' }, { version: '1.4.2' }],
    ['a numeric build', { body: '{"status":"ok","build":1234}' }, { version: '1234' }],
    ['a gitCommit', { body: '{"gitCommit":"3f2a9c1"}' }, { version: '3f2a9c1' }],
    ['app.version', { body: '{"app":{"name":"shop","version":"2.0.1"}}' }, { version: '2.0.1' }],
    ['info.version', { body: '{"info":{"version":"7"}}' }, { version: '7' }],
    ['Actuator /info build.version', { body: '{"build":{"artifact":"shop","version":"0.0.1-SNAPSHOT"}}' }, { version: '0.0.1-SNAPSHOT' }],
    ['Actuator /info git.commit.id', { body: '{"git":{"branch":"main","commit":{"id":"e3a1f0b","time":"2026-11-01T10:00:00Z"}}}' }, { version: 'e3a1f0b' }],
    ['releaseId of an IETF document', { body: '{"status":"pass","releaseId":"1.4.0"}' }, { version: '1.4.0' }],
    ['no version in an empty string', { body: '{"version":"  "}' }, { version: undefined }],
    ['no version in a non-JSON body', { body: 'version: 1.2' }, { version: undefined }],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    const validators = contentValidatorsOf(contextOf({ headers: { 'content-type': 'application/json', ...input.headers }, body: input.body }));
    for (const [name, value] of Object.entries(expected)) expect(validators[name as keyof typeof validators]).toBe(value);
    expect(validators.bodyHash).toMatch(/^[0-9a-f]{13}$/);
  });

  it('clips a long ETag and a long version', () => {
    const validators = contentValidatorsOf(contextOf({ headers: { etag: `"${'e'.repeat(300)}"` }, body: JSON.stringify({ version: 'v'.repeat(100) }) }));
    expect(validators.etag).toHaveLength(128);
    expect(validators.version).toHaveLength(64);
  });
});

describe('bodyHashOf: a 52-bit hash in two 32-bit lanes', () => {
  it('keeps FNV-1a 32 in its high 32 bits: the published test vectors', () => {
    // FNV-1a 32 of '' is the offset basis 0x811c9dc5; of 'a' 0xe40c292c; of 'foobar' 0xbf9cf968.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    for (const text of ['', 'a', 'foobar', '{"status":"UP"}']) expect(Math.floor(hash52(text) / 2 ** 20)).toBe(fnv1a32(text));
  });

  it('stays within 52 bits and is 13 hex digits', () => {
    for (const text of ['', 'a', 'x'.repeat(10_000), '\u{1F600} ünïcödé']) {
      expect(Number.isSafeInteger(hash52(text))).toBe(true);
      expect(hash52(text)).toBeLessThan(2 ** 52);
      expect(bodyHashOf(text)).toMatch(/^[0-9a-f]{13}$/);
      expect(parseInt(bodyHashOf(text), 16)).toBe(hash52(text));
    }
  });

  it('tells apart 100,000 bodies that differ in one counter, in both lanes', () => {
    const seen = new Set<number>();
    const low = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const hash = hash52(`{"status":"UP","time":${i},"uptime":"${i * 7}s"}`);
      seen.add(hash);
      low.add(hash % 2 ** 20);
    }
    expect(seen.size).toBe(100_000);
    // The second lane alone keeps 20 bits: by chance about 95,400 of 100,000 values stay distinct; far fewer if it followed the first.
    expect(low.size).toBeGreaterThan(88_000);
  });

  it('tells bodies apart and is stable', () => {
    expect(bodyHashOf('{"time":1}')).not.toBe(bodyHashOf('{"time":2}'));
    expect(bodyHashOf('same')).toBe(bodyHashOf('same'));
    expect(bodyHashOf('')).toHaveLength(13);
  });
});
