import type { Cause } from '@crosscheck/checks';
import { describe, expect, it } from 'vitest';
import type { RegionReport } from '../results/round';
import { fleetRegion, mainCauseOf } from './fleet-region';

const cause = (code: Cause['code'], severity: Cause['severity'], evidence: Cause['evidence'] = {}): Cause => ({ code, severity, message: `${code} (${severity})`, evidence });

function report(status: RegionReport['status'], causes: Cause[], evidence: Partial<NonNullable<RegionReport['evidence']>> = {}): RegionReport {
  return {
    status,
    causes,
    evidence: { httpStatus: 200, finalUrl: 'http://shop.test/', totalMs: 40, redirects: 0, cache: { hit: false, signals: [] }, ...evidence },
    agentId: 'a',
    agentVersion: '1',
    checkedAt: '2026-11-25T09:15:26.128Z',
  };
}

describe('mainCauseOf', () => {
  it.each([
    { causes: [], main: undefined },
    { causes: [cause('cached_response', 'info')], main: 'cached_response' },
    { causes: [cause('cached_response', 'info'), cause('slow', 'degraded')], main: 'slow' },
    { causes: [cause('slow', 'degraded'), cause('stale_cache', 'down'), cause('lb_error_page', 'down')], main: 'stale_cache' },
  ])('picks $main', ({ causes, main }) => {
    expect(mainCauseOf(causes)?.code).toBe(main);
  });
});

describe('fleetRegion', () => {
  it('reads a cached 200 whose bypass failed as down behind the cache, with what the bypass saw', () => {
    const stale = cause('stale_cache', 'down', { bypassStatus: 502, bypassError: null, bypassErrorPageVendor: 'nginx', ageSeconds: 34 });
    const cell = fleetRegion(report('down', [stale, cause('cached_response', 'info')], { cache: { hit: true, ageSeconds: 34, signals: ['x-cache: STALE'] }, bypassStatus: 502 }), true, '');
    expect(cell).toMatchObject({
      status: 'down',
      reading: 'down_behind_cache',
      affected: true,
      mainCause: { code: 'stale_cache', severity: 'down' },
      causes: ['stale_cache', 'cached_response'],
      httpStatus: 200,
      cacheHit: true,
      ageSeconds: 34,
      bypassStatus: 502,
      bypassError: null,
      bypassErrorPageVendor: 'nginx',
    });
  });

  it('takes the bypass facts from the stale_cache cause when the key evidence lacks them', () => {
    const stale = cause('stale_cache', 'down', { bypassStatus: null, bypassError: 'connection_refused' });
    const cell = fleetRegion(report('down', [stale], { cache: { hit: true, signals: [] } }), true, '');
    expect(cell).toMatchObject({ reading: 'down_behind_cache', bypassStatus: null, bypassError: 'connection_refused' });
  });

  it('shows a region absent from the round as missing with the note given', () => {
    expect(fleetRegion(undefined, false, 'no round yet')).toEqual({
      status: 'missing',
      reading: 'missing',
      affected: false,
      mainCause: null,
      causes: [],
      httpStatus: null,
      totalMs: null,
      cacheHit: null,
      ageSeconds: null,
      bypassStatus: null,
      bypassError: null,
      errorPageVendor: null,
      bypassErrorPageVendor: null,
      probeError: null,
      checkedAt: null,
      note: 'no round yet',
    });
  });

  it('names the refusal of a blocked target as the note', () => {
    const cell = fleetRegion(report('down', [cause('blocked_target', 'down')], { httpStatus: null }), false, '');
    expect(cell).toMatchObject({ reading: 'refused', note: 'blocked_target (down)' });
  });

  it('cuts a long cause message, and redacts URL credentials in it', () => {
    const long = { ...cause('status_mismatch', 'down'), message: `https://user:secret@x.test/ ${'x'.repeat(400)}` };
    const message = fleetRegion(report('down', [long]), false, '').mainCause?.message ?? '';
    expect(message.length).toBeLessThanOrEqual(240);
    expect(message).not.toContain('secret');
  });
});
