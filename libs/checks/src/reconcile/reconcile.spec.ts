import { describe, expect, it } from 'vitest';
import type { CauseCode } from '../verdict/verdict';
import {
  addressDown,
  certExpiring,
  connectionRefused,
  contentChanged,
  dnsFailure,
  downBehindCache,
  frozenContent,
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
  withContent,
  withFreshness,
} from './__fixtures__/region-verdicts';
import type { Classification } from './classification';
import { reconcile } from './reconcile';
import type { ReconcilePolicyInput } from './reconcile-policy';
import { RECONCILE_RULES, type ReconcileRule } from './reconciliation';
import type { RegionVerdict } from './round-verdicts';
import type { Freshness } from '../verdict/verdict';

const v = (verdict: RegionVerdict, version: string): RegionVerdict => withContent(verdict, { version });
const FRESH: Freshness = { lifetimeSeconds: 60, ageSeconds: 12, state: 'fresh' };
const STALE: Freshness = { lifetimeSeconds: 60, ageSeconds: 1900, state: 'stale' };
/** A cache hit nothing verified, read by RFC 9111. */
const cachedRead = (freshness: Freshness, ageSeconds = freshness.ageSeconds): RegionVerdict => withFreshness(upFromCacheUnverified(ageSeconds), freshness);
const HOUR_AGO = 'Tue, 01 Dec 2026 10:00:00 GMT';
const NOW = 'Tue, 01 Dec 2026 11:00:00 GMT';

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

  // version_skew
  {
    name: 'every region fresh, one serving an older version: degraded, naming it',
    regions: { 'ap-south': v(up(), '1.5.0'), 'eu-west': v(up(), '1.4.2'), 'us-east': v(up(), '1.5.0') },
    classification: 'degraded',
    affected: ['eu-west'],
    decidedBy: ['version_skew'],
  },
  {
    name: 'versions compare numerically: 1.10 is newer than 1.9',
    regions: { a: v(up(), '1.9.3'), b: v(up(), '1.10.0'), c: v(up(), 'v1.9.3') },
    classification: 'degraded',
    affected: ['a', 'c'],
    decidedBy: ['version_skew'],
  },
  {
    name: 'versions that differ only by trailing zeros are the same',
    regions: { a: v(up(), '1.5'), b: v(up(), '1.5.0'), c: v(up(), 'v1.5.0.0') },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'two regions, two numeric versions: the older one lags',
    regions: { 'eu-west': v(up(), '2.0.1'), 'us-east': v(up(), '2.1.0') },
    classification: 'degraded',
    affected: ['eu-west'],
    decidedBy: ['version_skew'],
  },
  {
    name: 'commit hashes: the one differing from the two that agree lags',
    regions: { a: v(up(), '9f3c2ab'), b: v(up(), '9f3c2ab'), c: v(upFromCacheUnverified(), '77d01e4') },
    classification: 'degraded',
    affected: ['c'],
    decidedBy: ['version_skew', 'cached_response'],
  },
  {
    name: 'commit hashes in two regions that differ name nobody: there is no telling which is behind',
    regions: { a: v(up(), '9f3c2ab'), b: v(up(), '77d01e4') },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'commit hashes with no majority name nobody',
    regions: { a: v(up(), 'aaa111'), b: v(up(), 'bbb222'), c: v(up(), 'ccc333') },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'regions without a version are not compared',
    regions: { a: v(up(), '1.5.0'), b: up(), c: up() },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'a region without a version is not compared, the two with one are',
    regions: { a: v(up(), '1.5.0'), b: up(), c: v(up(), '1.4.0') },
    classification: 'degraded',
    affected: ['c'],
    decidedBy: ['version_skew'],
  },
  {
    name: 'a Last-Modified an hour behind the others lags',
    regions: {
      a: withContent(up(), { lastModified: NOW }),
      b: withContent(upFromCacheUnverified(), { lastModified: HOUR_AGO }),
      c: withContent(up(), { lastModified: NOW }),
    },
    classification: 'degraded',
    affected: ['b'],
    decidedBy: ['version_skew', 'cached_response'],
  },
  {
    name: 'an hour behind is within a tolerance the policy raised to two hours (origins deployed far apart)',
    regions: {
      a: withContent(up(), { lastModified: NOW }),
      b: withContent(upFromCacheUnverified(), { lastModified: HOUR_AGO }),
      c: withContent(up(), { lastModified: NOW }),
    },
    policy: { lastModifiedSkewSeconds: 7200 },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'a minute behind lags when the policy allows no skew',
    regions: { a: withContent(up(), { lastModified: NOW }), b: withContent(up(), { lastModified: 'Tue, 01 Dec 2026 10:59:00 GMT' }) },
    policy: { lastModifiedSkewSeconds: 0 },
    classification: 'degraded',
    affected: ['b'],
    decidedBy: ['version_skew'],
  },
  {
    name: 'a Last-Modified a minute behind is within the tolerance',
    regions: { a: withContent(up(), { lastModified: NOW }), b: withContent(up(), { lastModified: 'Tue, 01 Dec 2026 10:59:00 GMT' }) },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'a cached ETag differing from the one the others agree on lags',
    regions: { a: withContent(up(), { etag: '"v2"' }), b: withContent(upFromCacheVerified(), { etag: '"v1"' }), c: withContent(up(), { etag: '"v2"' }) },
    classification: 'degraded',
    affected: ['b'],
    decidedBy: ['version_skew'],
  },
  {
    name: 'an ETag differing on an answer not from a cache is not lag (origins may tag alike content apart)',
    regions: { a: withContent(up(), { etag: '"v2"' }), b: withContent(up(), { etag: '"v1"' }), c: withContent(up(), { etag: '"v2"' }) },
    classification: 'operational',
    affected: [],
    decidedBy: ['all_up'],
  },
  {
    name: 'version skew comes before degraded regions and is about the lagging ones',
    regions: { a: v(slow(), '1.5.0'), b: v(up(), '1.4.0'), c: v(up(), '1.5.0') },
    classification: 'degraded',
    affected: ['b'],
    decidedBy: ['version_skew'],
  },

  // rule 3 weighed by freshness and lag
  {
    name: 'a region down next to a cache fresh by RFC 9111: a regional outage, not masked',
    regions: { 'ap-south': cachedRead(FRESH), 'eu-west': connectionRefused(), 'us-east': up() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'connection_refused'],
  },
  {
    name: 'inside stale-while-revalidate counts as fresh',
    regions: { 'ap-south': cachedRead({ lifetimeSeconds: 60, ageSeconds: 70, state: 'stale_while_revalidate' }), 'eu-west': serverError(503), 'us-east': up() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'status_mismatch'],
  },
  {
    name: 'most regions down next to a fresh cache: an outage, not masked',
    regions: { a: connectionRefused(), b: connectionRefused(), c: cachedRead(FRESH) },
    classification: 'outage',
    affected: ['a', 'b'],
    decidedBy: ['outage_quorum', 'connection_refused'],
  },
  {
    name: 'a region down next to a cache past its lifetime: masked',
    regions: { 'ap-south': cachedRead(STALE), 'eu-west': connectionRefused(), 'us-east': up() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused', 'cached_response'],
  },
  {
    name: 'a cache serving stale because of stale-if-error while another region sees the origin fail: masked',
    regions: { 'ap-south': cachedRead({ lifetimeSeconds: 60, ageSeconds: 400, state: 'stale_if_error' }), 'eu-west': lbErrorPage() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west'],
    decidedBy: ['unverified_cache_while_down', 'lb_error_page', 'cached_response'],
  },
  {
    name: 'a region down next to a cache with no freshness reading: masked, as before (nothing to go on)',
    regions: { 'ap-south': upFromCacheUnverified(), 'eu-west': connectionRefused(), 'us-east': up() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused', 'cached_response'],
  },
  {
    name: 'a cache whose lifetime cannot be computed gives nothing to go on: masked',
    regions: { 'ap-south': cachedRead({ lifetimeSeconds: null, ageSeconds: 30, state: 'unknown' }), 'eu-west': connectionRefused() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused', 'cached_response'],
  },
  {
    name: 'a region down next to frozen content (the bypass got the same copy): masked',
    regions: { 'ap-south': frozenContent(), 'eu-west': connectionRefused(), 'us-east': up() },
    classification: 'masked_outage',
    affected: ['ap-south', 'eu-west'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused', 'stale_cache'],
  },
  {
    name: 'a region down next to a region serving older content, no cache header: a stale edge hides the origin',
    regions: { a: connectionRefused(), b: v(up(), '1.4.0'), c: v(up(), '1.5.0') },
    classification: 'masked_outage',
    affected: ['a', 'b'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused'],
  },
  {
    name: 'a cache fresh by its headers but serving older content than the others: masked',
    regions: { a: connectionRefused(), b: v(cachedRead(FRESH), '1.4.0'), c: v(up(), '1.5.0'), d: v(up(), '1.5.0') },
    classification: 'masked_outage',
    affected: ['a', 'b'],
    decidedBy: ['unverified_cache_while_down', 'connection_refused', 'cached_response'],
  },
  {
    name: 'of two unverified caches only the stale one is named with the down region',
    regions: { a: cachedRead(FRESH), b: cachedRead(STALE), c: serverError(500) },
    classification: 'masked_outage',
    affected: ['b', 'c'],
    decidedBy: ['unverified_cache_while_down', 'status_mismatch', 'cached_response'],
  },

  // new causes
  {
    name: 'one dead address of a round-robin set in one region: degraded, naming it',
    regions: { 'ap-south': up(), 'eu-west': addressDown(), 'us-east': up() },
    classification: 'degraded',
    affected: ['eu-west'],
    decidedBy: ['degraded_regions', 'address_down'],
  },
  {
    name: 'frozen content while nobody sees the origin fail: degraded',
    regions: { 'ap-south': frozenContent(), 'eu-west': up(), 'us-east': up() },
    classification: 'degraded',
    affected: ['ap-south'],
    decidedBy: ['degraded_regions', 'stale_cache'],
  },
  {
    name: 'the health document gone in one region: regional outage',
    regions: { 'ap-south': up(), 'eu-west': contentChanged(), 'us-east': up() },
    classification: 'regional_outage',
    affected: ['eu-west'],
    decidedBy: ['down_below_quorum', 'content_changed'],
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

  it('covers every rule', () => {
    expect(new Set(cases.map((c) => c.decidedBy[0]))).toEqual(new Set(RECONCILE_RULES));
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
      reason:
        'masked outage: origin down in eu-west (status_mismatch 503) while ap-south answers from a cache no bypass request verified (no freshness reading); up in us-east',
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
      reason: 'regional outage: down in eu-west (connection_refused); degraded in ap-south (slow 4800 ms); up in us-east; no answer from sa-east',
    },
    {
      name: 'degraded',
      regions: { 'ap-south': healthDegraded(), 'eu-west': healthDegraded(), 'us-east': up() },
      reason: 'degraded in ap-south, eu-west (health_degraded checks.cache); up in us-east',
    },
    {
      name: 'version skew names the lagging region, what it serves and what the others serve',
      regions: { 'ap-south': v(up(), '1.5.0'), 'eu-west': v(up(), '1.4.2'), 'us-east': v(up(), '1.5.0') },
      reason: 'version skew: eu-west serves version 1.4.2 while ap-south, us-east serve 1.5.0 (content lags; a stale edge there); up in ap-south, us-east',
    },
    {
      name: 'version skew by Last-Modified says how far behind',
      regions: { a: withContent(up(), { lastModified: NOW }), b: withContent(up(), { lastModified: HOUR_AGO }) },
      reason: `version skew: b serves content last modified ${HOUR_AGO}, 3600 s behind what a serves (${NOW}) (content lags; a stale edge there); up in a`,
    },
    {
      name: 'a fresh cache next to a down region says why it is not called masked',
      regions: { 'ap-south': v(cachedRead(FRESH), '1.5.0'), 'eu-west': connectionRefused(), 'us-east': v(up(), '1.5.0') },
      reason:
        'regional outage: down in eu-west (connection_refused); not masked: ap-south answers from a cache, fresh (age 12 s of 60 s) and current with the others; up in ap-south, us-east',
    },
    {
      name: 'a fresh cache with nothing to compare says so',
      regions: { 'ap-south': cachedRead({ lifetimeSeconds: 60, ageSeconds: 70, state: 'stale_while_revalidate' }), 'eu-west': connectionRefused(), 'us-east': up() },
      reason:
        'regional outage: down in eu-west (connection_refused); not masked: ap-south answers from a cache, fresh enough: inside stale-while-revalidate (age 70 s of 60 s) with no validator to compare with the others; up in ap-south, us-east',
    },
    {
      name: 'masked by a cache past its lifetime says by how much',
      regions: { 'ap-south': cachedRead(STALE), 'eu-west': connectionRefused(), 'us-east': up() },
      reason:
        'masked outage: origin down in eu-west (connection_refused) while ap-south answers from a cache no bypass request verified (served 1840 s past its 60 s lifetime); up in us-east',
    },
    {
      name: 'masked by frozen content says for how long',
      regions: { 'ap-south': frozenContent(4), 'eu-west': connectionRefused(), 'us-east': up() },
      reason: 'masked outage: origin down in eu-west (connection_refused) while ap-south answers from a cache no bypass request verified (content frozen 4 rounds); up in us-east',
    },
    {
      name: 'masked by lagging content names the versions',
      regions: { a: connectionRefused(), b: v(up(), '1.4.0'), c: v(up(), '1.5.0') },
      reason: 'masked outage: origin down in a (connection_refused) while b serves older content (version 1.4.0 while c serves 1.5.0); up in c',
    },
    {
      name: 'caches with the same evidence are named together',
      regions: { a: upFromCacheUnverified(), b: upFromCacheUnverified(), c: connectionRefused() },
      reason: 'masked outage: origin down in c (connection_refused) while a, b answer from a cache no bypass request verified (no freshness reading)',
    },
    {
      name: 'a dead address is named',
      regions: { 'ap-south': up(), 'eu-west': addressDown(['127.0.0.12', '::1']), 'us-east': up() },
      reason: 'degraded in eu-west (address_down 127.0.0.12 and ::1); up in ap-south, us-east',
    },
    {
      name: 'frozen content alone is named as such',
      regions: { 'ap-south': frozenContent(4), 'eu-west': up() },
      reason: 'degraded in ap-south (stale_cache: content frozen 4 rounds); up in eu-west',
    },
    {
      name: 'a changed content says what changed',
      regions: { 'ap-south': up(), 'eu-west': contentChanged(), 'us-east': up() },
      reason: 'regional outage: down in eu-west (content_changed: health document gone); up in ap-south, us-east',
    },
    {
      name: 'an operator page says what it said',
      regions: {
        'eu-west': {
          status: 'down',
          causes: [{ code: 'operator_page', severity: 'down', message: 'a 200 page says "under maintenance"', evidence: { phrase: 'under maintenance' } }],
          evidence: up().evidence ?? null,
        },
        'us-east': up(),
      },
      reason: 'regional outage: down in eu-west (operator_page "under maintenance"); up in us-east',
    },
    {
      name: 'a certificate expiring says when',
      regions: { 'ap-south': certExpiring(5), 'eu-west': certExpiring(1) },
      reason: 'degraded in ap-south, eu-west (cert_expiring in 5 days, in 1 day)',
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
        freshness: null,
        version: null,
        lastModified: null,
        lagging: false,
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
        freshness: null,
        version: null,
        lastModified: null,
        lagging: false,
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
        freshness: null,
        version: null,
        lastModified: null,
        lagging: false,
        note: 'no result before the deadline although 2 agent(s) of region us-east are live: busy, slow or backlogged',
      },
    });
  });

  it('keeps the content and freshness of every region and marks the lagging ones', () => {
    const result = reconcile({
      regions: {
        a: withContent(cachedRead(FRESH), { version: '1.4.0', lastModified: HOUR_AGO }),
        b: v(up(), '1.5.0'),
        c: v(up(), '1.5.0'),
      },
    });
    expect(result.evidence['a']).toMatchObject({ freshness: 'fresh', version: '1.4.0', lastModified: HOUR_AGO, lagging: true });
    expect(result.evidence['b']).toMatchObject({ freshness: null, version: '1.5.0', lastModified: null, lagging: false });
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
