/**
 * Realistic incident events for the renderer's tests and examples, made the way the coordinator
 * makes them: observations (headers and bodies of real Varnish, nginx and Spring Boot answers)
 * judged by the real `evaluate`, reconciled by the real `reconcile`, each region digested as
 * `apps/coordinator/src/incidents/region-digest.ts` does, and wrapped in the event shape of
 * `libs/contract/src/api/events.ts`. Specs parse every event with the contract's schema, so a drift
 * of the contract breaks them rather than the renderer's words.
 */
import {
  compileMonitorSpec,
  evaluate,
  reconcile,
  severityOf,
  type IncidentClassification,
  type Observation,
  type RegionEvidence,
  type RegionVerdict,
  type RequestOutcome,
  type Verdict,
} from '@crosscheck/checks';
import type { IncidentEventData, RegionEventData } from '@crosscheck/contract';
import type { IncidentNotification, RegionNotification } from '../events/notify-event';

/** The probe clock of every sample: 2026-11-25T08:59:00Z. */
export const SAMPLE_NOW = Date.UTC(2026, 10, 25, 8, 59, 0);

const URL = 'https://shop.example.com/';
const MONITOR = { id: 'mon_2b4kq7xa3dhv6mnpz2re', name: 'Shop storefront', url: URL };

/** A monitor of the samples, with its URL and name overridable for hostile-string tests. */
export interface SampleMonitor {
  id: string;
  name: string;
  url: string;
}

type Outcome = Omit<RequestOutcome, 'url' | 'method' | 'finalUrl' | 'redirects' | 'timings'> & { totalMs?: number };

function outcome(input: Outcome, url = URL): RequestOutcome {
  const { totalMs, ...rest } = input;
  return { url, method: 'GET', finalUrl: url, redirects: [], timings: { dns: 2, connect: 18, tls: 24, firstByte: 90, total: totalMs ?? 120 }, ...rest };
}

function response(status: number, headers: Record<string, string>, body: string): NonNullable<RequestOutcome['response']> {
  return { status, headers, body, bodyBytes: Buffer.byteLength(body), bodyTruncated: false, httpVersion: '1.1' };
}

const SHOP_PAGE = '<!doctype html><html><head><title>Shop</title></head><body><h1>Autumn sale</h1><p>Free delivery over 50 EUR.</p></body></html>';

const VARNISH_503 =
  '<!DOCTYPE html>\n<html>\n  <head>\n    <title>503 Backend fetch failed</title>\n  </head>\n  <body>\n    <h1>Error 503 Backend fetch failed</h1>\n    <p>Backend fetch failed</p>\n    <h3>Guru Meditation:</h3>\n    <p>XID: 32771</p>\n    <hr>\n    <p>Varnish cache server</p>\n  </body>\n</html>\n';

const NGINX_502 = '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.22.1</center>\n</body>\n</html>\n';

const SPRING_DOWN = JSON.stringify({
  status: 'DOWN',
  components: {
    db: { status: 'DOWN', details: { error: 'org.postgresql.util.PSQLException: Connection to db.internal:5432 refused.' } },
    diskSpace: { status: 'UP' },
    ping: { status: 'UP' },
    redis: { status: 'DOWN', details: { error: 'Unable to connect to Redis' } },
  },
});

const SPRING_DEGRADED = JSON.stringify({ status: 'UP', components: { db: { status: 'UP' }, elasticsearch: { status: 'UP', details: { status: 'yellow' } }, search: { status: 'DEGRADED' } } });

const HTTP_DATE = new Date(SAMPLE_NOW).toUTCString();

/** What one region's probe saw, by situation. */
export const SITUATIONS = {
  /** The origin answers: a fresh 200 both ways. */
  up: (): Observation => observed(outcome({ response: response(200, { 'content-type': 'text/html', date: HTTP_DATE }, SHOP_PAGE) }), outcome({ response: response(200, { date: HTTP_DATE }, SHOP_PAGE) })),
  /** Varnish serves a 3 h old copy; the bypass gets Varnish's own 503 (the backend fetch failed). */
  varnishStale: (): Observation =>
    observed(
      outcome({ response: response(200, { 'content-type': 'text/html', age: '10800', via: '1.1 varnish (Varnish/7.1)', 'x-cache': 'HIT', date: HTTP_DATE }, SHOP_PAGE) }),
      outcome({ response: response(503, { server: 'Varnish', via: '1.1 varnish (Varnish/7.1)', 'content-type': 'text/html; charset=utf-8', age: '0', date: HTTP_DATE }, VARNISH_503) }),
    ),
  /** nginx's own 502 page: the upstream behind it is gone. */
  nginx502: (): Observation => {
    const answer = outcome({ response: response(502, { server: 'nginx/1.22.1', 'content-type': 'text/html', date: HTTP_DATE }, NGINX_502) });
    return observed(answer, answer);
  },
  /** The connection is refused (nothing listens, or a firewall rejects). */
  refused: (): Observation =>
    observed(
      outcome({ error: { code: 'connection_refused', message: 'connect ECONNREFUSED 203.0.113.10:443', phase: 'connect', url: URL }, totalMs: 12 }),
      outcome({ error: { code: 'connection_refused', message: 'connect ECONNREFUSED 203.0.113.10:443', phase: 'connect', url: URL }, totalMs: 11 }),
    ),
  /** No last byte before the monitor's deadline. */
  timeout: (): Observation =>
    observed(
      outcome({ error: { code: 'timeout', message: 'no last byte within 10000 ms', phase: 'body', url: URL }, totalMs: 10_000 }),
      outcome({ error: { code: 'timeout', message: 'no last byte within 10000 ms', phase: 'body', url: URL }, totalMs: 10_000 }),
    ),
  /** The name does not resolve. */
  dnsFailure: (): Observation =>
    observed(
      outcome({ error: { code: 'dns_failure', message: 'getaddrinfo ENOTFOUND shop.example.com', phase: 'dns', url: URL }, totalMs: 30 }),
      outcome({ error: { code: 'dns_failure', message: 'getaddrinfo ENOTFOUND shop.example.com', phase: 'dns', url: URL }, totalMs: 30 }),
    ),
  /** A Spring Boot health document answering 200 that says the database and Redis are down. */
  healthDown: (): Observation => {
    const answer = outcome({ response: response(200, { 'content-type': 'application/vnd.spring-boot.actuator.v3+json', date: HTTP_DATE }, SPRING_DOWN) });
    return observed(answer, answer);
  },
  /** A health document reporting a degraded dependency. */
  healthDegraded: (): Observation => {
    const answer = outcome({ response: response(200, { 'content-type': 'application/json', date: HTTP_DATE }, SPRING_DEGRADED) });
    return observed(answer, answer);
  },
  /** A 200 that took 4.8 s. */
  slow: (): Observation =>
    observed(
      outcome({ response: response(200, { 'content-type': 'text/html', date: HTTP_DATE }, SHOP_PAGE), totalMs: 4_800 }),
      outcome({ response: response(200, { date: HTTP_DATE }, SHOP_PAGE), totalMs: 4_700 }),
    ),
} as const;

export type Situation = keyof typeof SITUATIONS | 'missing';

function observed(primary: RequestOutcome, bypass: RequestOutcome): Observation {
  return { ...primary, startedAt: SAMPLE_NOW, bodyCapBytes: 1024 * 1024, bypass: { ...bypass, url: `${URL}?__crosscheck=1`, finalUrl: `${URL}?__crosscheck=1` } };
}

const MISSING_REASON = 'no result before the deadline: no live agent in the region (region blind)';

function verdictOf(situation: Situation): RegionVerdict & { verdict?: Verdict } {
  if (situation === 'missing') return { status: 'missing', causes: [], evidence: null, reason: MISSING_REASON };
  const verdict = evaluate(compileMonitorSpec({ url: URL }), SITUATIONS[situation]());
  return { status: verdict.status, causes: verdict.causes, evidence: verdict.evidence, verdict };
}

type Digest = IncidentEventData['regions'][string];

/** One region's digest, as the coordinator's `regionDigest` builds it (without its length cuts, which the samples never reach). */
function digestOf(report: RegionVerdict, evidence: RegionEvidence | undefined, affected: boolean): Digest {
  const key = report.evidence ?? null;
  const behindCache = report.causes.find((cause) => cause.code === 'stale_cache')?.evidence['bypassErrorPageVendor'];
  return {
    status: report.status,
    affected,
    reading: evidence?.reading ?? 'missing',
    causes: report.causes.slice(0, 8).map((cause) => ({ code: cause.code, severity: cause.severity, message: cause.message })),
    evidence: {
      httpStatus: key?.httpStatus ?? null,
      cache: { hit: key ? key.cache.hit : null, ageSeconds: key?.cache.ageSeconds ?? null, signals: key?.cache.signals ?? [] },
      bypassStatus: key?.bypassStatus ?? null,
      bypassError: evidence?.bypassError ?? null,
      errorPageVendor: key?.errorPageVendor ?? null,
      bypassErrorPageVendor: typeof behindCache === 'string' ? behindCache : null,
      probeError: key?.probeError ?? null,
      totalMs: key?.totalMs ?? null,
      finalUrl: key ? key.finalUrl : null,
    },
    note: evidence?.note ?? report.reason ?? null,
  };
}

/** A round of the sample monitor: each region's situation, reconciled. */
export function sampleRound(situations: Record<string, Situation>) {
  const verdicts = Object.fromEntries(Object.entries(situations).map(([region, situation]) => [region, verdictOf(situation)]));
  const reconciliation = reconcile({ regions: verdicts });
  const affected = new Set(reconciliation.affectedRegions);
  const regions: Record<string, Digest> = {};
  for (const region of Object.keys(verdicts).sort()) regions[region] = digestOf(verdicts[region]!, reconciliation.evidence[region], affected.has(region));
  return { reconciliation, regions };
}

/** What a sample incident event is built from. */
export interface SampleIncidentInput {
  type: IncidentNotification['type'];
  situations: Record<string, Situation>;
  /** The incident's classification (defaults to the round's, or `before` for a resolve). */
  classification?: IncidentClassification;
  before?: IncidentClassification | null;
  /** When the trouble was first seen; the event is two rounds (2 min) later unless `at` says. */
  startedAt?: number;
  at?: number;
  monitor?: Partial<SampleMonitor>;
  /** The incident's affected regions (defaults to the round's). */
  affectedRegions?: string[];
}

/** An `incident.*` event as the coordinator would emit it for that round. */
export function sampleIncidentEvent(input: SampleIncidentInput): IncidentNotification {
  const { reconciliation, regions } = sampleRound(input.situations);
  const monitor = { ...MONITOR, ...input.monitor };
  const startedAt = input.startedAt ?? SAMPLE_NOW;
  const at = input.at ?? startedAt + 120_000;
  const resolved = input.type === 'incident.resolved';
  const round = reconciliation.classification;
  const classification = input.classification ?? (resolved ? (input.before ?? 'outage') : (round as IncidentClassification));
  const affectedRegions = input.affectedRegions ?? (resolved ? Object.keys(regions) : reconciliation.affectedRegions);
  const id = `inc_${monitor.id}_${startedAt + 60_000}`;
  const before = input.before ?? (input.type === 'incident.opened' ? null : classification);
  const reason = resolved
    ? `resolved after 2 consecutive healthy rounds: ${reconciliation.reason}`
    : input.type === 'incident.opened'
      ? `${reconciliation.reason} (unhealthy for 2 consecutive rounds)`
      : `${reconciliation.reason} (for 2 consecutive rounds; was ${before ?? 'none'})`;
  const data: IncidentEventData = {
    incident: {
      id,
      state: resolved ? 'resolved' : 'open',
      classification,
      severity: severityOf(classification),
      affectedRegions,
      startedAt: new Date(startedAt).toISOString(),
      openedAt: new Date(startedAt + 60_000).toISOString(),
      resolvedAt: resolved ? new Date(at).toISOString() : null,
      url: `/v1/incidents/${id}`,
    },
    monitor: { ...monitor, regions: Object.keys(input.situations).sort() },
    classification: { before, after: resolved ? null : classification, round },
    round: { roundId: `${monitor.id}:${at}`, scheduledAt: new Date(at).toISOString() },
    reason,
    affectedRegions,
    blindRegions: reconciliation.blindRegions,
    regions,
  };
  return { type: input.type, timestamp: new Date(at).toISOString(), data };
}

/** A `region.*` event: `region` went blind (or came back) in that round, with the incident open then, if any. */
export function sampleRegionEvent(
  type: RegionNotification['type'],
  region: string,
  situations: Record<string, Situation>,
  incident: IncidentNotification | null = null,
  at = SAMPLE_NOW + 300_000,
): RegionNotification {
  const { reconciliation, regions } = sampleRound(situations);
  const data: RegionEventData = {
    incident: incident ? incident.data.incident : null,
    monitor: { ...MONITOR, regions: Object.keys(situations).sort() },
    classification: { before: incident?.data.incident.classification ?? null, after: incident?.data.incident.classification ?? null, round: reconciliation.classification },
    round: { roundId: `${MONITOR.id}:${at}`, scheduledAt: new Date(at).toISOString() },
    reason: type === 'region.blind' ? `${region}: ${MISSING_REASON} for 3 consecutive rounds` : `${region} answers again`,
    region,
    affectedRegions: [region],
    blindRegions: reconciliation.blindRegions,
    regions,
  };
  return { type, timestamp: new Date(at).toISOString(), data };
}
