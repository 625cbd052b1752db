import type { RegionWords } from '../describe/incident-description';
import { probeErrorWords } from './evidence-words';
import { latencyWords, spanWords } from './time-words';

/** One labelled fact of a region, for the field lists of Slack, Teams and email. */
export interface RegionFact {
  label: string;
  value: string;
  /** The value is the verdict's cause codes (`stale_cache`): ours, shown as code where a channel can. */
  codes?: true;
}

const READINGS: Record<string, string> = {
  missing: 'no answer',
  refused: 'probe refused',
  down_behind_cache: 'down behind a cache',
  down_direct: 'fresh evidence',
  cached_unverified: 'cached, unverified',
  fresh: 'fresh answer',
};

/**
 * The facts of a region a person scans: what was seen, the verdict and how it was read, the HTTP
 * status (and the bypass's), the cache, the causes and the time. At most six: every channel's
 * per-region field limit (Slack's 10) holds whatever the digest says.
 */
export function regionFacts(region: RegionWords): RegionFact[] {
  const facts: RegionFact[] = [{ label: 'Seen', value: region.words }];
  const digest = region.digest;
  if (!digest) return facts;
  facts.push({ label: 'Verdict', value: `${digest.status} (${READINGS[digest.reading] ?? digest.reading})` });
  const { httpStatus, bypassStatus, bypassError, cache, totalMs, probeError } = digest.evidence;
  if (httpStatus !== null || probeError !== null) {
    const bypass =
      bypassError !== null ? `, bypass: ${probeErrorWords(bypassError, null)}` : bypassStatus !== null && bypassStatus !== httpStatus ? `, bypass ${bypassStatus}` : '';
    facts.push({ label: 'HTTP', value: `${httpStatus ?? `no response (${probeErrorWords(probeError ?? '', totalMs)})`}${bypass}` });
  }
  if (cache.hit === true) facts.push({ label: 'Cache', value: `hit${cache.ageSeconds !== null && cache.ageSeconds > 0 ? `, aged ${spanWords(cache.ageSeconds)}` : ''}` });
  if (digest.causes.length > 0) facts.push({ label: 'Causes', value: [...new Set(digest.causes.map((c) => c.code))].join(', '), codes: true });
  if (totalMs !== null) facts.push({ label: 'Time', value: latencyWords(totalMs) });
  return facts;
}
