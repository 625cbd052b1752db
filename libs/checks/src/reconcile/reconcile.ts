import type { CauseCode } from '../verdict/verdict';
import { readCachedAnswer, type CachedAnswer } from './cached-answer';
import type { Classification } from './classification';
import type { ContentLag } from './content-lag';
import { bypassSummary, blindSuffix, causeSummary, lagSentence, rankCauses, regionList, withDetail } from './reconcile-reason';
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
 * came from a cache with no healthy bypass to vouch for the origin is *cached, unverified*. The
 * answering regions that are not down are also compared with each other: a region whose content
 * *lags* the others' (an older version or `Last-Modified`, a cached ETag the majority does not
 * serve; see `findContentLag`) is named. Then the first rule that applies decides:
 *
 * | # | rule | when | classification | affected regions |
 * | - | --- | --- | --- | --- |
 * | 1 | `too_few_answers` | fewer regions answered than the policy needs (or the round expected none) | `unknown` | none (the blind ones are in `blindRegions`) |
 * | 2 | `stale_cache_behind_edge` | some region is down behind a cache: users get a cached answer while the bypass there sees the origin fail | `masked_outage` | down behind a cache + fresh down + cached unverified |
 * | 3 | `unverified_cache_while_down` | some region is fresh down while another answers from a cache nothing verified that shows staleness or has no freshness reading, or serves lagging content | `masked_outage` | fresh down + those |
 * | 4 | `outage_quorum` | more than `outageQuorum` of the answering regions (or all) are fresh down | `outage` | fresh down |
 * | 5 | `down_below_quorum` | some region is fresh down, below the outage quorum | `regional_outage` | fresh down |
 * | 6 | `version_skew` | none down; some region's content lags the others' | `degraded` | lagging |
 * | 7 | `degraded_regions` | none down; some degraded (slow, stale content, degraded dependency, certificate expiring, ...) | `degraded` | degraded |
 * | 8 | `all_up` | every answering region is up (info causes allowed, e.g. a cache hit with a healthy bypass) | `operational` | none |
 *
 * Decisions worth knowing:
 * - Masking comes before outage: an origin down in one region and hidden by edges in others is one
 *   story, the CDN hiding a real failure, and the hiding is what a person must know first.
 * - A cache hit with a healthy bypass is genuinely up; only a cache hit nothing verified can mask.
 * - Rule 3 weighs the unverified cache by RFC 9111 (`evidence.cache.freshness`): past its lifetime
 *   (`stale`, `stale_if_error`), frozen content, or content lagging the others' is a stale edge
 *   hiding the failing origin; a cache with no freshness reading gives nothing to go on and is read
 *   as masking, as before freshness was read. A cache fresh by the book (`fresh`,
 *   `stale_while_revalidate`) whose content is current is doing its job: the down region is a
 *   regional outage (or an outage, by the quorum), and the reason says why it is not called masked.
 * - A region serving content that lags the others' while another is down is masking even without a
 *   cache header: a cache keyed on the path only, or an edge that stopped refreshing, looks so.
 * - Version skew is `degraded`, not an outage: every region answers, one of them with old content.
 *   It comes before `degraded_regions` because the lagging region is the story (it may well be `up`).
 * - Degraded regions never count toward the outage quorum: 1 down and 2 degraded of 3 is a
 *   `regional_outage` of the down region (the degraded ones are named in `reason`); 2 down and 1
 *   degraded of 3 is an `outage`.
 * - A single-region monitor that is down is an `outage` (1 of 1 is more than half), never regional.
 * - The blind regions are named in every reason; a decided round with blind regions is still decided.
 */
export function reconcile(input: RoundVerdicts, policyInput?: ReconcilePolicyInput): Reconciliation {
  const policy = reconcilePolicySchema.parse(policyInput);
  const groups = groupRegions(input, policy.lastModifiedSkewSeconds);
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
  const lagOf = new Map<string, ContentLag>(groups.lagging.map((lag) => [lag.region, lag]));
  const decide = (classification: Classification, rule: ReconcileRule, affected: readonly RegionRead[], reason: string): Reconciliation => ({
    classification,
    affectedRegions: affected.map((r) => r.region).sort(),
    blindRegions: blind.map((r) => r.region),
    reason: reason + blindSuffix(blind),
    rule,
    decidedBy: [rule, ...decisiveCauses(affected)],
    tally,
    evidence: Object.fromEntries(all.map((r) => [r.region, regionEvidence(r.verdict, r.reading, lagOf.get(r.region))])),
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

  // The answers that could hide the failing origin: from a cache nothing verified, or lagging.
  const suspects = answering
    .filter((r) => r.verdict.status !== 'down' && (r.reading === 'cached_unverified' || lagOf.has(r.region)))
    .map((read) => ({ read, answer: readCachedAnswer(read, lagOf.get(read.region)) }));
  const hiding = suspects.filter((s) => s.answer.state !== 'fresh');

  if (downDirect.length > 0 && hiding.length > 0) {
    const affected = [...downDirect, ...hiding.map((s) => s.read)];
    const pieces = [
      `${withDetail(`masked outage: origin down in ${regionList(downDirect)}`, causeSummary(downDirect, 'down'))} while ${hidingWords(hiding)}`,
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
    const notMasked = suspects.length > 0 ? [`not masked: ${freshCacheWords(suspects.map((s) => s.read), groups)}`] : [];
    const reason = [withDetail(head, summary), ...notMasked, ...othersSeen(groups, downDirect)].join('; ');
    return outage ? decide('outage', 'outage_quorum', downDirect, reason) : decide('regional_outage', 'down_below_quorum', downDirect, reason);
  }

  if (groups.lagging.length > 0) {
    const affected = answering.filter((r) => lagOf.has(r.region));
    const skew = groups.lagging.map((lag) => `${lagSentence(lag)} (content lags; a stale edge there)`).join('; ');
    return decide('degraded', 'version_skew', affected, [`version skew: ${skew}`, ...othersSeen(groups, affected)].join('; '));
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

/**
 * `ap-south answers from a cache no bypass request verified (served 1840 s past its 60 s lifetime)
 * and eu-west serves older content (version 1.4.2 while us-east serves 1.5.0)`: the answers that
 * may hide the origin, each with its evidence; cached answers with the same evidence are named together.
 */
function hidingWords(hiding: ReadonlyArray<{ read: RegionRead; answer: CachedAnswer }>): string {
  const cached = new Map<string, string[]>();
  const pieces: string[] = [];
  for (const { read, answer } of hiding) {
    if (read.reading !== 'cached_unverified') {
      pieces.push(`${read.region} serves older content (${answer.why})`);
      continue;
    }
    if (!cached.has(answer.why)) pieces.push(answer.why);
    cached.set(answer.why, [...(cached.get(answer.why) ?? []), read.region]);
  }
  return pieces
    .map((piece) => {
      const regions = cached.get(piece);
      if (regions === undefined) return piece;
      return `${regions.join(', ')} ${regions.length === 1 ? 'answers' : 'answer'} from a cache no bypass request verified (${piece})`;
    })
    .join(' and ');
}

/**
 * `ap-south answers from a cache, fresh (age 12 s of 60 s) and current with the others`: why the
 * unverified cached answers next to a down region are not called masking.
 */
function freshCacheWords(fresh: readonly RegionRead[], groups: RoundGroups): string {
  const notDown = groups.answering.filter((r) => r.verdict.status !== 'down');
  const comparable = (read: RegionRead): boolean => {
    const names = (['version', 'lastModified', 'etag'] as const).filter((name) => typeof read.verdict.evidence?.content?.[name] === 'string');
    return names.some((name) => notDown.some((other) => other !== read && typeof other.verdict.evidence?.content?.[name] === 'string'));
  };
  return fresh
    .map((read) => {
      const { why } = readCachedAnswer(read, undefined);
      const current = comparable(read) ? 'and current with the others' : 'with no validator to compare with the others';
      return `${read.region} answers from a cache, ${why} ${current}`;
    })
    .join(' and ');
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
