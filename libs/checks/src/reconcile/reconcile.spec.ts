import { describe, expect, it } from 'vitest';
import type { CauseCode } from '../verdict/verdict';
import {
  certExpiring,
  connectionRefused,
  dnsFailure,
  downBehindCache,
  healthDegraded,
  lbErrorPage,
  missing,
  refused,
  serverError,
  slow,
  staleAdmitted,
  timedOut,
  up,
  upBypassInconclusive,
  upFromCacheUnverified,
  upFromCacheVerified,
} from './__fixtures__/region-verdicts';
import type { Classification } from './classification';
import { reconcile } from './reconcile';
import type { ReconcilePolicyInput } from './reconcile-policy';
import type { ReconcileRule } from './reconciliation';
import type { RegionVerdict } from './round-verdicts';

interface Case {
  name: string;
  regions: Record<string, RegionVerdict>;
  policy?: ReconcilePolicyInput;
  classification: Classification;
  affected: string[];
  blind?: string[];
  /** Exactly, in order: the rule, then the deciding cause codes. */
  decidedBy: Array<ReconcileRule | CauseCode>;
}

const cases: Case[] = [
  // operational
  {
    name: 'every region up',
    regions: { 'ap-south': up(), 'eu-west': up(), 'us-east': up() },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'a cache hit with a healthy bypass everywhere is genuinely up',
    regions: { 'ap-south': upFromCacheVerified(), 'eu-west': upFromCacheVerified(300), 'us-east': upFromCacheVerified(5) },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'cache hits nobody verified, but nobody sees the origin fail: up',
    regions: { 'ap-south': upFromCacheUnverified(), 'eu-west': upFromCacheUnverified(), 'us-east': upBypassInconclusive() },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'a region missing while the others are up: decided, the silent region named blind',
    regions: { 'ap-south': missing(), 'eu-west': up(), 'us-east': up() },
    classification: 'operational',
    affected: [],
    blind: ['ap-south'],
    decidedBy: ['all_up'],
  },
  {
    name: 'an agent refusing the target is blind, not down',
    regions: { 'ap-south': refused(), 'eu-west': up(), 'us-east': up() },
    classification: 'operational',
    affected: [],
    blind: ['ap-south'],
    decidedBy: ['all_up'],
  },

  // unknown
  {
    name: 'a region missing while the others are up, when the policy wants every region',
    regions: { 'ap-south': missing(), 'eu-west': up(), 'us-east': up() },
    policy: { quorum: 1 },
    classification: 'unknown',
    affected: [],
    blind: ['ap-south'],
    decidedBy: ['too_few_answers'],
  },
  {
    name: 'every region missing',
    regions: { 'ap-south': missing(), 'eu-west': missing(), 'us-east': missing() },
    classification: 'unknown',
    affected: [],
    blind: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['too_few_answers'],
  },
  {
    name: 'one down of three, two missing: missing never counts as down',
    regions: { 'ap-south': missing(), 'eu-west': connectionRefused(), 'us-east': missing() },
    classification: 'unknown',
    affected: [],
    blind: ['ap-south', 'us-east'],
    decidedBy: ['too_few_answers'],
  },
  {
    name: 'every agent refuses the target',
    regions: { 'eu-west': refused(), 'us-east': refused() },
    classification: 'unknown',
    affected: [],
    blind: ['eu-west', 'us-east'],
    decidedBy: ['too_few_answers'],
  },
  {
    name: 'a round that expected no region',
    regions: {},
    classification: 'unknown',
    affected: [],
    decidedBy: ['too_few_answers'],
  },
  {
    name: 'two of three answer but the policy wants three answers',
    regions: { 'ap-south': missing(), 'eu-west': connectionRefused(), 'us-east': connectionRefused() },
    policy: { minRegions: 3 },
    classification: 'unknown',
    affected: [],
    blind: ['ap-south'],
    decidedBy: ['too_few_answers'],
  },

  // degraded
  {
    name: 'the health document reports a degraded dependency everywhere',
    regions: { 'ap-south': healthDegraded(), 'eu-west': healthDegraded(), 'us-east': healthDegraded() },
    classification: 'degraded',
    affected: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['degraded_regions', 'health_degraded'],
  },
  {
    name: 'one region slow, the others up',
    regions: { 'ap-south': slow(), 'eu-west': up(), 'us-east': up() },
    classification: 'degraded',
    affected: ['ap-south'],
    decidedBy: ['degraded_regions', 'slow'],
  },
  {
    name: 'slow in two regions, certificate expiring in three: the widespread cause first',
    regions: {
      'ap-south': { ...slow(), causes: [...slow().causes, ...certExpiring().causes] },
      'eu-west': { ...slow(), causes: [...slow().causes, ...certExpiring().causes] },
      'us-east': certExpiring(),
    },
    classification: 'degraded',
    affected: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['degraded_regions', 'cert_expiring', 'slow'],
  },
  {
    name: 'the cache admits stale content and nobody sees the origin fail: degraded, not masked',
    regions: { 'ap-south': staleAdmitted(), 'eu-west': up(), 'us-east': up() },
    classification: 'degraded',
    affected: ['ap-south'],
    decidedBy: ['degraded_regions', 'stale_cache'],
  },

  // outage
  {
    name: "a load balancer's error page everywhere",
    regions: { 'ap-south': lbErrorPage(), 'eu-west': lbErrorPage(), 'us-east': lbErrorPage() },
    classification: 'outage',
    affected: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['outage_quorum', 'lb_error_page'],
  },
  {
    name: "a proxy's error page served with status 200 counts as down",
    regions: { 'eu-west': lbErrorPage('HAProxy', 200), 'us-east': lbErrorPage('HAProxy', 200) },
    classification: 'outage',
    affected: ['eu-west', 'us-east'],
    decidedBy: ['outage_quorum', 'lb_error_page'],
  },
  {
    name: 'two of three refuse connections, one still up: a majority is an outage',
    regions: { 'ap-south': up(), 'eu-west': connectionRefused(), 'us-east': connectionRefused() },
    classification: 'outage',
    affected: ['eu-west', 'us-east'],
    decidedBy: ['outage_quorum', 'connection_refused'],
  },
  {
    name: 'two down and one degraded of three',
    regions: { 'ap-south': slow(), 'eu-west': serverError(503), 'us-east': timedOut() },
    classification: 'outage',
    affected: ['eu-west', 'us-east'],
    decidedBy: ['outage_quorum', 'status_mismatch', 'timeout'],
  },
  {
    name: 'three of four down',
    regions: { a: serverError(), b: serverError(), c: serverError(500), d: up() },
    classification: 'outage',
    affected: ['a', 'b', 'c'],
    decidedBy: ['outage_quorum', 'status_mismatch'],
  },
  {
    name: 'down in the one region that answered, when the quorum allows one answer',
    regions: { 'ap-south': missing(), 'eu-west': connectionRefused(), 'us-east': missing() },
    policy: { quorum: 0.3 },
    classification: 'outage',
    affected: ['eu-west'],
    blind: ['ap-south', 'us-east'],
    decidedBy: ['outage_quorum', 'connection_refused'],
  },
  {
    name: 'outageQuorum 0: any fresh down is an outage',
    regions: { 'ap-south': up(), 'eu-west': up(), 'us-east': dnsFailure() },
    policy: { outageQuorum: 0 },
    classification: 'outage',
    affected: ['us-east'],
    decidedBy: ['outage_quorum', 'dns_failure'],
  },

  // regional_outage
  {
    name: "one region's path is broken",
    regions: { 'ap-south': up(), 'eu-west': dnsFailure(), 'us-east': up() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'dns_failure'],
  },
  {
    name: 'mixed: one down and two degraded of three',
    regions: { 'ap-south': slow(), 'eu-west': connectionRefused(), 'us-east': healthDegraded() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'connection_refused'],
  },
  {
    name: 'one down and one up of two: half is not a majority',
    regions: { 'eu-west': lbErrorPage('AWS ALB', 503), 'us-east': up() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'lb_error_page'],
  },
  {
    name: 'two down of four',
    regions: { a: timedOut(), b: timedOut(), c: up(), d: up() },
    classification: 'regional_outage',
    affected: ['a', 'b'],
    decidedBy: ['down_below_quorum', 'timeout'],
  },
  {
    name: 'one down, one up, one missing: decided on two answers',
    regions: { 'ap-south': missing(), 'eu-west': connectionRefused(), 'us-east': up() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    blind: ['ap-south'],
    decidedBy: ['down_below_quorum', 'connection_refused'],
  },
  {
    name: 'outageQuorum 1: two of three down is still regional',
    regions: { 'ap-south': up(), 'eu-west': connectionRefused(), 'us-east': connectionRefused() },
    policy: { outageQuorum: 1 },
    classification: 'regional_outage',
    affected: ['eu-west', 'us-east'],
    decidedBy: ['down_below_quorum', 'connection_refused'],
  },
  {
    name: 'a cache hit with a healthy bypass next to a region down: the hit is genuine, so regional',
    regions: { 'ap-south': upFromCacheVerified(), 'eu-west': serverError(502), 'us-east': upFromCacheVerified() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'status_mismatch'],
  },

  // masked_outage
  {
    name: 'origin down behind the edge in two regions and directly in one',
    regions: { 'ap-south': downBehindCache(), 'eu-west': downBehindCache(), 'us-east': connectionRefused() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['stale_cache_behind_edge', 'stale_cache', 'connection_refused'],
  },
  {
    name: "every edge serves a cached 200 while the bypass gets the proxy's 502",
    regions: {
      'ap-south': downBehindCache({ bypassStatus: 502, vendor: 'nginx' }),
      'eu-west': downBehindCache({ bypassStatus: 502, vendor: 'nginx' }),
      'us-east': downBehindCache({ bypassStatus: 502, vendor: 'nginx' }),
    },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['stale_cache_behind_edge', 'stale_cache'],
  },
  {
    name: 'one edge hides a failure while the others are up with fresh content: still masked, only there',
    regions: { 'ap-south': up(), 'eu-west': downBehindCache(), 'us-east': upFromCacheVerified() },
    classification: 'masked_outage',
    affected: ['eu-west'],
    decidedBy: ['stale_cache_behind_edge', 'stale_cache'],
  },
  {
    name: 'down behind a cache in one region, an unverified cache hit in another',
    regions: { 'ap-south': upFromCacheUnverified(), 'eu-west': downBehindCache(), 'us-east': up() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west'],
    decidedBy: ['stale_cache_behind_edge', 'stale_cache', 'cached_response'],
  },
  {
    name: 'masking wins over an outage quorum of fresh downs',
    regions: { a: serverError(), b: serverError(), c: serverError(), d: downBehindCache() },
    classification: 'masked_outage',
    affected: ['a', 'b', 'c', 'd'],
    decidedBy: ['stale_cache_behind_edge', 'status_mismatch', 'stale_cache'],
  },
  {
    name: 'cache hits with no bypass in two regions while the third sees the origin refuse',
    regions: { 'ap-south': upFromCacheUnverified(), 'eu-west': upFromCacheUnverified(), 'us-east': connectionRefused() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west', 'us-east'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused', 'cached_response'],
  },
  {
    name: 'the cache admits stale content while another region gets a 503',
    regions: { 'eu-west': staleAdmitted(), 'us-east': serverError(503) },
    classification: 'masked_outage',
    affected: ['eu-west', 'us-east'],
    decidedBy: ['unverified_cache_while_down', 'status_mismatch', 'stale_cache'],
  },
  {
    name: 'an inconclusive bypass vouches for nothing while another region sees the proxy error page',
    regions: { 'ap-south': up(), 'eu-west': upBypassInconclusive(), 'us-east': lbErrorPage() },
    classification: 'masked_outage',
    affected: ['eu-west', 'us-east'],
    decidedBy: ['unverified_cache_while_down', 'lb_error_page', 'bypass_inconclusive'],
  },

  // one region only
  { name: 'one region only: up', regions: { 'eu-west': up() }, classification: 'operational', affected: [], decidedBy: ['all_up'] },
  {
    name: 'one region only: down is an outage, not regional',
    regions: { 'eu-west': connectionRefused() },
    classification: 'outage',
    affected: ['eu-west'],
    decidedBy: ['outage_quorum', 'connection_refused'],
  },
  { name: 'one region only: degraded', regions: { 'eu-west': slow() }, classification: 'degraded', affected: ['eu-west'], decidedBy: ['degraded_regions', 'slow'] },
  {
    name: 'one region only: missing',
    regions: { 'eu-west': missing() },
    classification: 'unknown',
    affected: [],
    blind: ['eu-west'],
    decidedBy: ['too_few_answers'],
  },
  {
    name: 'one region only: a cached 200 hiding a dead origin',
    regions: { 'eu-west': downBehindCache() },
    classification: 'masked_outage',
    affected: ['eu-west'],
    decidedBy: ['stale_cache_behind_edge', 'stale_cache'],
  },
  {
    name: 'one region only, with a policy asking for more answers than regions: the floor is capped',
    regions: { 'eu-west': connectionRefused() },
    policy: { minRegions: 2 },
    classification: 'outage',
    affected: ['eu-west'],
    decidedBy: ['outage_quorum', 'connection_refused'],
  },
];

describe('reconcile', () => {
  it.each(cases)('$name → $classification', (c) => {
    const result = reconcile({ regions: c.regions }, c.policy);
    expect({
      classification: result.classification,
      affected: result.affectedRegions,
      blind: result.blindRegions,
      decidedBy: result.decidedBy,
    }).toEqual({ classification: c.classification, affected: c.affected, blind: c.blind ?? [], decidedBy: c.decidedBy });
    expect(result.rule).toBe(c.decidedBy[0]);
    expect(Object.keys(result.evidence)).toEqual(Object.keys(c.regions).sort());
    expect(result.reason).not.toContain('\n');
  });

  it('covers every classification', () => {
    expect(new Set(cases.map((c) => c.classification))).toEqual(
      new Set(['operational', 'degraded', 'outage', 'masked_outage', 'regional_outage', 'unknown']),
    );
  });

  it('gives the same result whatever order the regions come in', () => {
    const regions: Array<[string, RegionVerdict]> = [
      ['us-east', connectionRefused()],
      ['ap-south', downBehindCache()],
      ['eu-west', upFromCacheUnverified()],
      ['sa-east', missing()],
    ];
    const forward = reconcile({ regions: Object.fromEntries(regions) });
    const backward = reconcile({ regions: Object.fromEntries([...regions].reverse()) });
    expect(backward).toEqual(forward);
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });

  it('returns JSON-safe plain data', () => {
    const result = reconcile({ regions: { 'eu-west': downBehindCache(), 'us-east': missing() } });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('reconcile reasons', () => {
  it.each<{ name: string; regions: Record<string, RegionVerdict>; reason: string }>([
    {
      name: 'unknown names the counts and the silent regions',
      regions: { 'ap-south': missing(), 'eu-west': connectionRefused(), 'us-east': missing() },
      reason: 'unknown: 1 of 3 regions answered, 2 needed; no answer from ap-south, us-east',
    },
    {
      name: 'masked names the caches, what the bypass got, and where the origin is seen down',
      regions: {
        'ap-south': downBehindCache({ bypassStatus: 502, vendor: 'nginx' }),
        'eu-west': downBehindCache({ bypassError: 'connection_refused' }),
        'us-east': connectionRefused(),
      },
      reason:
        'masked outage: cached answers in ap-south, eu-west hide an origin failure (bypass: 502 nginx; connection_refused); origin down in us-east (connection_refused)',
    },
    {
      name: 'masked by unverified caches',
      regions: { 'ap-south': upFromCacheUnverified(), 'eu-west': serverError(503), 'us-east': up() },
      reason: 'masked outage: origin down in eu-west (status_mismatch) while ap-south answer from a cache no bypass request verified; up in us-east',
    },
    {
      name: 'outage everywhere names the vendor',
      regions: { 'ap-south': lbErrorPage(), 'eu-west': lbErrorPage(), 'us-east': lbErrorPage() },
      reason: 'outage: down in 3 of 3 answering regions (lb_error_page nginx)',
    },
    {
      name: 'outage in part names the down regions',
      regions: { 'ap-south': up(), 'eu-west': connectionRefused(), 'us-east': timedOut() },
      reason: 'outage: down in 2 of 3 answering regions (eu-west, us-east: connection_refused, timeout); up in ap-south',
    },
    {
      name: 'regional mentions the degraded regions too',
      regions: { 'ap-south': slow(), 'eu-west': connectionRefused(), 'us-east': up(), 'sa-east': missing() },
      reason: 'regional outage: down in eu-west (connection_refused); degraded in ap-south (slow); up in us-east; no answer from sa-east',
    },
    {
      name: 'degraded',
      regions: { 'ap-south': healthDegraded(), 'eu-west': healthDegraded(), 'us-east': up() },
      reason: 'degraded in ap-south, eu-west (health_degraded); up in us-east',
    },
    {
      name: 'operational counts the verified cache hits and names refused probes',
      regions: { 'ap-south': upFromCacheVerified(), 'eu-west': up(), 'us-east': refused() },
      reason: 'operational: up in 2 of 3 regions (1 from a cache the bypass request found healthy); probe refused in us-east',
    },
  ])('$name', ({ regions, reason }) => {
    expect(reconcile({ regions }).reason).toBe(reason);
  });
});

describe('reconcile evidence and tally', () => {
  it('keeps the facts of every region, missing ones included', () => {
    const result = reconcile({
      regions: {
        'ap-south': downBehindCache({ bypassStatus: 502, vendor: 'nginx' }),
        'eu-west': downBehindCache({ bypassError: 'connection_refused' }),
        'us-east': missing('no result before the deadline although 2 agent(s) of region us-east are live: busy, slow or backlogged'),
      },
    });
    expect(result.evidence).toEqual({
      'ap-south': {
        status: 'down',
        reading: 'down_behind_cache',
        causes: ['stale_cache'],
        httpStatus: 200,
        totalMs: 120,
        cacheHit: true,
        ageSeconds: 5400,
        bypassStatus: 502,
        bypassError: null,
        errorPageVendor: 'nginx',
        probeError: null,
        note: null,
      },
      'eu-west': {
        status: 'down',
        reading: 'down_behind_cache',
        causes: ['stale_cache'],
        httpStatus: 200,
        totalMs: 120,
        cacheHit: true,
        ageSeconds: 5400,
        bypassStatus: null,
        bypassError: 'connection_refused',
        errorPageVendor: null,
        probeError: null,
        note: null,
      },
      'us-east': {
        status: 'missing',
        reading: 'missing',
        causes: [],
        httpStatus: null,
        totalMs: null,
        cacheHit: null,
        ageSeconds: null,
        bypassStatus: null,
        bypassError: null,
        errorPageVendor: null,
        probeError: null,
        note: 'no result before the deadline although 2 agent(s) of region us-east are live: busy, slow or backlogged',
      },
    });
  });

  it('shows the quorum arithmetic', () => {
    const result = reconcile({ regions: { a: connectionRefused(), b: up(), c: slow(), d: downBehindCache(), e: missing() } });
    expect(result.tally).toEqual({ expected: 5, answered: 4, answersNeeded: 3, downFresh: 1, downBehindCache: 1, downNeededForOutage: 3, degraded: 1, up: 1 });
  });

  it('names a refused probe with the refusal', () => {
    const result = reconcile({ regions: { 'eu-west': refused(), 'us-east': up() } });
    expect(result.evidence['eu-west']).toMatchObject({ reading: 'refused', probeError: 'blocked_target', note: expect.stringContaining('link-local') });
  });

  it('rejects an invalid policy', () => {
    expect(() => reconcile({ regions: { a: up() } }, { quorum: 2 })).toThrow();
  });
});
