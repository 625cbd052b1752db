import type { CauseCode } from '../verdict/verdict';
import type { Classification } from './classification';
import { bypassSummary, blindSuffix, causeSummary, rankCauses, regionList, withDetail } from './reconcile-reason';
import { answersNeeded, downNeededForOutage, reconcilePolicySchema, type ReconcilePolicyInput } from './reconcile-policy';
import type { Reconciliation, ReconcileRule, ReconcileTally } from './reconciliation';
import { regionEvidence } from './region-evidence';
import type { RegionRead } from './region-reading';
import { groupRegions, type RoundGroups } from './round-groups';
import type { RoundVerdicts } from './round-verdicts';

/** Causes that show an answer came from a cache nobody verified. */
const CACHE_CODES: ReadonlySet<CauseCode> = new Set(['cached_response', 'stale_cache', 'bypass_inconclusive']);

/**
 * Reconciles one round's per-region verdicts into one classification, the regions it is about and
 * the evidence that decided it. Pure and deterministic: regions are read in name order, and the same
 * verdicts and policy always give the same result.
 *
 * Each region is first read on its own (see `RegionReading`): `missing` and `refused` are blind
 * and never count as down; a `down` caused only by `stale_cache` is *down behind a cache*; any other
 * `down` is *fresh* (a proxy's error page, `lb_error_page`, included); an up or degraded answer that
 * came from a cache with no healthy bypass to vouch for the origin is *cached, unverified*. Then the
 * first rule that applies decides:
 *
 * | # | rule | when | classification | affected regions |
 * | - | --- | --- | --- | --- |
 * | 1 | `too_few_answers` | fewer regions answered than the policy needs (or the round expected none) | `unknown` | none (the blind ones are in `blindRegions`) |
 * | 2 | `stale_cache_behind_edge` | some region is down behind a cache: users get a cached answer while the bypass there sees the origin fail | `masked_outage` | down behind a cache + fresh down + cached unverified |
 * | 3 | `unverified_cache_while_down` | some region is fresh down while another answers only from a cache nothing verified | `masked_outage` | fresh down + cached unverified |
 * | 4 | `outage_quorum` | more than `outageQuorum` of the answering regions (or all) are fresh down | `outage` | fresh down |
 * | 5 | `down_below_quorum` | some region is fresh down, below the outage quorum | `regional_outage` | fresh down |
 * | 6 | `degraded_regions` | none down; some degraded (slow, stale content, degraded dependency, certificate expiring, ...) | `degraded` | degraded |
 * | 7 | `all_up` | every answering region is up (info causes allowed, e.g. a cache hit with a healthy bypass) | `operational` | none |
 *
 * Decisions worth knowing:
 * - Masking comes before outage: an origin down in one region and hidden by edges in others is one
 *   story, the CDN hiding a real failure, and the hiding is what a person must know first.
 * - A cache hit with a healthy bypass is genuinely up; only a cache hit nothing verified can mask.
 * - Degraded regions never count toward the outage quorum: 1 down and 2 degraded of 3 is a
 *   `regional_outage` of the down region (the degraded ones are named in `reason`); 2 down and 1
 *   degraded of 3 is an `outage`.
 * - A single-region monitor that is down is an `outage` (1 of 1 is more than half), never regional.
 * - The blind regions are named in every reason; a decided round with blind regions is still decided.
 */
export function reconcile(input: RoundVerdicts, policyInput?: ReconcilePolicyInput): Reconciliation {
  const policy = reconcilePolicySchema.parse(policyInput);
  const groups = groupRegions(input);
  const { all, blind, answering, downDirect, downBehindCache, cachedUnverified, degraded, up } = groups;
  const tally: ReconcileTally = {
    expected: all.length,
    answered: answering.length,
    answersNeeded: answersNeeded(policy, all.length),
    downFresh: downDirect.length,
    downBehindCache: downBehindCache.length,
    downNeededForOutage: downNeededForOutage(policy, answering.length),
    degraded: degraded.length,
    up: up.length,
  };
  const decide = (classification: Classification, rule: ReconcileRule, affected: readonly RegionRead[], reason: string): Reconciliation => ({
    classification,
    affectedRegions: affected.map((r) => r.region).sort(),
    blindRegions: blind.map((r) => r.region),
    reason: reason + blindSuffix(blind),
    rule,
    decidedBy: [rule, ...decisiveCauses(affected)],
    tally,
    evidence: Object.fromEntries(all.map((r) => [r.region, regionEvidence(r.verdict, r.reading)])),
  });

  if (all.length === 0) return decide('unknown', 'too_few_answers', [], 'unknown: the round expected no regions');
  if (answering.length < tally.answersNeeded) {
    return decide('unknown', 'too_few_answers', [], `unknown: ${answering.length} of ${all.length} regions answered, ${tally.answersNeeded} needed`);
  }

  if (downBehindCache.length > 0) {
    const affected = [...downBehindCache, ...downDirect, ...cachedUnverified];
    const pieces = [
      withDetail(`masked outage: cached answers in ${regionList(downBehindCache)} hide an origin failure`, `bypass: ${bypassSummary(downBehindCache)}`),
      ...(downDirect.length > 0 ? [withDetail(`origin down in ${regionList(downDirect)}`, causeSummary(downDirect, 'down'))] : []),
      ...(cachedUnverified.length > 0 ? [`unverified cached answers in ${regionList(cachedUnverified)}`] : []),
      ...othersSeen(groups, affected),
    ];
    return decide('masked_outage', 'stale_cache_behind_edge', affected, pieces.join('; '));
  }

  if (downDirect.length > 0 && cachedUnverified.length > 0) {
    const affected = [...downDirect, ...cachedUnverified];
    const pieces = [
      `${withDetail(`masked outage: origin down in ${regionList(downDirect)}`, causeSummary(downDirect, 'down'))} while ${regionList(cachedUnverified)} answer from a cache no bypass request verified`,
      ...othersSeen(groups, affected),
    ];
    return decide('masked_outage', 'unverified_cache_while_down', affected, pieces.join('; '));
  }

  if (downDirect.length > 0) {
    const outage = downDirect.length >= tally.downNeededForOutage;
    const head = outage
      ? `outage: down in ${downDirect.length} of ${answering.length} answering regions`
      : `regional outage: down in ${regionList(downDirect)}`;
    const summary = outage && downDirect.length < answering.length ? `${regionList(downDirect)}: ${causeSummary(downDirect, 'down')}` : causeSummary(downDirect, 'down');
    const reason = [withDetail(head, summary), ...othersSeen(groups, downDirect)].join('; ');
    return outage ? decide('outage', 'outage_quorum', downDirect, reason) : decide('regional_outage', 'down_below_quorum', downDirect, reason);
  }

  if (degraded.length > 0) {
    const reason = [withDetail(`degraded in ${regionList(degraded)}`, causeSummary(degraded, 'degraded')), ...othersSeen(groups, degraded)].join('; ');
    return decide('degraded', 'degraded_regions', degraded, reason);
  }

  const cached = up.filter((r) => r.reading === 'fresh' && r.verdict.evidence?.cache.hit === true).length;
  return decide(
    'operational',
    'all_up',
    [],
    withDetail(`operational: up in ${up.length} of ${all.length} regions`, cached > 0 ? `${cached} from a cache the bypass request found healthy` : ''),
  );
}

/** `up in us-east; degraded in ap-south (slow)`: what the answering regions outside the story saw. */
function othersSeen(groups: RoundGroups, named: readonly RegionRead[]): string[] {
  const rest = groups.answering.filter((r) => !named.includes(r));
  const degraded = rest.filter((r) => r.verdict.status === 'degraded');
  const up = rest.filter((r) => r.verdict.status === 'up');
  return [
    ...(degraded.length > 0 ? [withDetail(`degraded in ${regionList(degraded)}`, causeSummary(degraded, 'degraded'))] : []),
    ...(up.length > 0 ? [`up in ${regionList(up)}`] : []),
  ];
}

/**
 * The causes that carried the decision in the affected regions: `down` reasons of down regions,
 * cache causes of unverified cached answers, `degraded` reasons of degraded regions.
 */
function decisiveCauses(affected: readonly RegionRead[]): CauseCode[] {
  const down = affected.filter((r) => r.verdict.status === 'down');
  const cached = affected.filter((r) => r.reading === 'cached_unverified');
  const degraded = affected.filter((r) => r.verdict.status === 'degraded' && r.reading !== 'cached_unverified');
  return [
    ...new Set([
      ...rankCauses(down, (_code, severity) => severity === 'down'),
      ...rankCauses(cached, (code) => CACHE_CODES.has(code)),
      ...rankCauses(degraded, (_code, severity) => severity === 'degraded'),
    ]),
  ];
}
