import type { AddressOutcome, Observation, ProbeErrorCode, RequestOutcome } from '../observation/observation';
import type { AddressResult, Cause } from '../verdict/verdict';
import { statusOf } from '../verdict/verdict';

/** Judges one per-address outcome as the bypass is judged: no latency, no certificate, no cache. */
export type OutcomeJudge = (outcome: RequestOutcome) => Cause[];

/** What each resolved address met, for the key evidence, and the partial outage they show, if any. */
export interface AddressJudgement {
  results: AddressResult[];
  cause?: Cause;
}

/** What an address met, in words, after its address: `127.0.0.12 refused the connection`. */
const MET: Partial<Record<ProbeErrorCode, string>> = {
  connection_refused: 'refused the connection',
  connection_reset: 'reset the connection',
  timeout: 'did not answer in time',
  tls_error: 'failed the TLS handshake',
  connection_failed: 'could not be reached',
};

/**
 * Judges each address of a name that resolved to several. A redirect is an answer here: the
 * per-address request stops at the first hop, where the user's request would follow it. An
 * address the policy blocked was not checked, so it is neither dead nor alive.
 *
 * `address_down` (degraded) when at least one address is healthy and another is dead: users
 * reach the name's addresses at random, so some of them meet the dead one. When none is healthy
 * the user-path request is down on its own and says why; nothing is added.
 */
export function judgeAddresses(observation: Observation, followsRedirects: boolean, judge: OutcomeJudge): AddressJudgement | undefined {
  const addresses = observation.addresses;
  if (!addresses || addresses.length === 0) return undefined;
  const dead: Array<{ entry: AddressOutcome; met: string }> = [];
  let healthy = 0;
  const results = addresses.map((entry): AddressResult => {
    const { outcome } = entry;
    const status = outcome.response?.status ?? null;
    const base = { address: entry.address, family: entry.family, httpStatus: status, error: outcome.error?.code ?? null, totalMs: Math.round(outcome.timings.total) };
    if (outcome.error?.code === 'blocked_target') return { ...base, ok: false };
    if (followsRedirects && !outcome.error && status !== null && status >= 300 && status < 400 && outcome.response?.headers['location']) {
      healthy++;
      return { ...base, ok: true };
    }
    const causes = judge(outcome);
    if (statusOf(causes) !== 'down') {
      healthy++;
      return { ...base, ok: true };
    }
    dead.push({ entry, met: metBy(outcome, causes) });
    return { ...base, ok: false };
  });
  if (dead.length === 0 || healthy === 0) return { results };
  const host = hostOf(observation.url);
  const checked = healthy + dead.length;
  return {
    results,
    cause: {
      code: 'address_down',
      severity: 'degraded',
      message: `${dead.length} of ${checked} addresses of ${host} ${dead.length === 1 ? 'is' : 'are'} down: ${dead.map((d) => `${d.entry.address} ${d.met}`).join(', ')}; users reach it at random`,
      evidence: {
        host,
        deadAddresses: dead.map((d) => d.entry.address),
        addressesChecked: checked,
        addressesHealthy: healthy,
      },
    },
  };
}

function metBy(outcome: RequestOutcome, causes: readonly Cause[]): string {
  if (outcome.error) return MET[outcome.error.code] ?? `failed (${outcome.error.code})`;
  // The status says most on its own; any other down cause is the story behind it.
  const story = causes.find((c) => c.severity === 'down' && c.code !== 'status_mismatch');
  const status = outcome.response?.status ?? '?';
  return story ? `answered ${status} (${story.code})` : `answered ${status}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
