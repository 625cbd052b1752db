import type { Observation } from '@crosscheck/checks';
import { describe, expect, it } from 'vitest';
import { MAX_SUMMARY_HEADER_CHARS, summariseObservation } from './observation-summary';

function observationWith(status: number, headers: Record<string, string>, extra: Partial<Observation> = {}): Observation {
  return {
    url: 'https://example.com/health',
    method: 'GET',
    finalUrl: 'https://example.com/health',
    redirects: [],
    remoteAddress: '93.184.215.14',
    response: { status, headers, body: 'secret body', bodyBytes: 11, bodyTruncated: false },
    timings: { dns: 3, connect: 10, tls: 20, firstByte: 40, total: 55 },
    startedAt: 1_700_000_000_000,
    bodyCapBytes: 1024,
    ...extra,
  };
}

describe('summariseObservation', () => {
  it('keeps the whitelisted headers only, and never the body', () => {
    const summary = summariseObservation(
      observationWith(200, {
        age: '120',
        'x-cache': 'HIT',
        'cf-cache-status': 'HIT',
        via: '1.1 varnish',
        server: 'nginx',
        etag: '"abc"',
        'content-type': 'application/json',
        'set-cookie': 'session=secret',
        authorization: 'Bearer secret',
        'x-internal-token': 'secret',
      }),
    );
    expect(summary.headers).toEqual({
      age: '120',
      'x-cache': 'HIT',
      'cf-cache-status': 'HIT',
      via: '1.1 varnish',
      server: 'nginx',
      etag: '"abc"',
      'content-type': 'application/json',
    });
    expect(JSON.stringify(summary)).not.toContain('secret');
    expect(summary).toMatchObject({
      url: 'https://example.com/health',
      finalUrl: 'https://example.com/health',
      remoteAddress: '93.184.215.14',
      timings: { dns: 3, connect: 10, tls: 20, firstByte: 40, total: 55 },
      validators: { etag: '"abc"' },
    });
  });

  it('keeps URL userinfo out of the URLs and the Location it keeps', () => {
    const summary = summariseObservation(
      observationWith(302, { location: 'https://user:pass@login.example/' }, { url: 'https://u:p@example.com/', finalUrl: 'https://u:p@example.com/' }),
    );
    expect(summary).toMatchObject({ url: 'https://***@example.com/', finalUrl: 'https://***@example.com/', headers: { location: 'https://***@login.example/' } });
  });

  it('cuts long header values', () => {
    const summary = summariseObservation(observationWith(200, { server: 'x'.repeat(5000) }));
    expect(summary.headers['server']).toHaveLength(MAX_SUMMARY_HEADER_CHARS);
  });

  it('reports the certificate days remaining', () => {
    const tls = {
      subject: 'CN=example.com',
      issuer: 'CN=CA',
      altNames: [],
      validFrom: '',
      validTo: '',
      daysRemaining: 12,
      fingerprint256: '',
      authorized: true,
    };
    expect(summariseObservation(observationWith(200, {}, { tls })).tlsDaysRemaining).toBe(12);
  });

  it('takes validators from the response', () => {
    const summary = summariseObservation(observationWith(200, { etag: 'W/"v2"', 'last-modified': 'Tue, 01 Oct 2024 10:00:00 GMT' }), {
      etag: 'W/"v1"',
    });
    expect(summary.validators).toEqual({ etag: 'W/"v2"', lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT' });
  });

  it('carries the previous validators forward over a 304 that omits them', () => {
    const previous = { etag: '"v1"', lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT' };
    expect(summariseObservation(observationWith(304, {}), previous).validators).toEqual(previous);
    expect(summariseObservation(observationWith(200, {}), previous).validators).toBeUndefined();
  });

  it('drops a validator too long to send back', () => {
    expect(summariseObservation(observationWith(200, { etag: `"${'x'.repeat(2000)}"` })).validators).toBeUndefined();
  });

  it('summarises a failed probe', () => {
    const summary = summariseObservation({
      url: 'https://down.example/',
      method: 'GET',
      finalUrl: 'https://down.example/',
      redirects: [],
      error: { code: 'connection_refused', message: 'ECONNREFUSED', phase: 'connect', url: 'https://down.example/' },
      timings: { dns: 1, total: 2 },
      startedAt: 1,
      bodyCapBytes: 1024,
    });
    expect(summary).toEqual({ url: 'https://down.example/', finalUrl: 'https://down.example/', timings: { dns: 1, total: 2 }, headers: {} });
  });
});
