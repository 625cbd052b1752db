import type { Cause, Verdict } from '@crosscheck/checks';
import { roundIdFor, type CheckResult } from '@crosscheck/contract';
import type { ResultRecord } from './round';

/** Characters of the final URL a healthy entry keeps. */
const HEALTHY_URL_CHARS = 256;

/**
 * What makes two results of a region "the same state": the status and the causes' codes and
 * severities. A result whose signature differs from the region's previous one is a state change
 * and is stored in full; the same `up` again is stored as a {@link HealthyEntry}.
 */
export function signatureOf(verdict: Pick<Verdict, 'status' | 'causes'>): string {
  return [verdict.status, ...verdict.causes.map((cause) => `${cause.code}/${cause.severity}`).sort()].join(' ');
}

/**
 * A history entry of an `up` result that repeats its region's previous state: a JSON array of
 * what changes from round to round, in this order, times relative to the round's scheduled time:
 * `[region, scheduledAt, checkedAt - scheduledAt, startedAt - scheduledAt, agentId, agentVersion,
 * httpStatus, totalMs, redirects, finalUrl, cacheHit, [passed, failed, notEvaluated], causes]`,
 * `causes` as `[code, severity]` pairs. A fifth to a tenth of a full record: the evidence of a healthy
 * round is its status code and timing; the full story is in the entry of the state change.
 */
type HealthyEntry = [
  region: string,
  scheduledAt: number,
  checkedAfterMs: number,
  startedAfterMs: number,
  agentId: string,
  agentVersion: string,
  httpStatus: number | null,
  totalMs: number,
  redirects: number,
  finalUrl: string,
  cacheHit: 0 | 1,
  expectationCounts: [passed: number, failed: number, notEvaluated: number],
  causes: [code: string, severity: string][],
];

/** The healthy entry of a result (JSON), or `null` when it is not `up` (stored in full then, whatever came before). */
export function healthyEntryOf(result: CheckResult, scheduledAt: number): string | null {
  const { verdict } = result;
  if (verdict.status !== 'up') return null;
  const counts: [number, number, number] = [0, 0, 0];
  for (const expectation of verdict.expectations) counts[expectation.passed === true ? 0 : expectation.passed === false ? 1 : 2] += 1;
  const { evidence } = verdict;
  const entry: HealthyEntry = [
    result.region,
    scheduledAt,
    result.finishedAt - scheduledAt,
    result.startedAt - scheduledAt,
    result.agentId,
    result.agentVersion,
    evidence.httpStatus,
    Math.round(evidence.totalMs),
    evidence.redirects,
    evidence.finalUrl.length <= HEALTHY_URL_CHARS ? evidence.finalUrl : `${evidence.finalUrl.slice(0, HEALTHY_URL_CHARS - 1)}…`,
    evidence.cache.hit ? 1 : 0,
    counts,
    verdict.causes.map((cause) => [cause.code, cause.severity]),
  ];
  return JSON.stringify(entry);
}

/**
 * The record a healthy entry stands for, in the shape of every history record: `compact: true`,
 * causes with their code and severity only (message and evidence are in the region's latest
 * full entry), no expectations (all passed or counted), no observation.
 */
export function recordOfHealthyEntry(monitorId: string, json: string): ResultRecord {
  const [region, scheduledAt, checkedAfterMs, startedAfterMs, agentId, agentVersion, httpStatus, totalMs, redirects, finalUrl, cacheHit, counts, causes] =
    JSON.parse(json) as HealthyEntry;
  return {
    roundId: roundIdFor(monitorId, scheduledAt),
    monitorId,
    region,
    scheduledAt,
    status: 'up',
    causes: causes.map(([code, severity]) => ({ code, severity, message: '', evidence: {} }) as Cause),
    evidence: { httpStatus, finalUrl, totalMs, redirects, cache: { hit: cacheHit === 1, signals: [] } },
    agentId,
    agentVersion,
    checkedAt: new Date(scheduledAt + checkedAfterMs).toISOString(),
    expectationCounts: { passed: counts[0], failed: counts[1], notEvaluated: counts[2] },
    startedAt: scheduledAt + startedAfterMs,
    compact: true,
  };
}
