import type { Cause, CauseCode, CauseSeverity, Freshness } from '../verdict/verdict';
import type { ContentLag } from './content-lag';
import type { RegionRead } from './region-reading';

/**
 * Phrasing for the one-line `reason` of a reconciliation: short pieces a person reads in a page,
 * e.g. `regional outage: down in eu-west (connection_refused); up in ap-south, us-east`.
 */

/** `eu-west, us-east`. */
export function regionList(group: readonly RegionRead[]): string {
  return regionNames(group.map((r) => r.region));
}

/** `eu-west, us-east`. */
export function regionNames(regions: readonly string[]): string {
  return regions.join(', ');
}

/**
 * The cause codes of a group that have the given severity, counted by region, the most widespread
 * first (ties alphabetical). The order is the one `decidedBy` uses.
 */
export function rankCauses(group: readonly RegionRead[], pick: (code: CauseCode, severity: CauseSeverity) => boolean): CauseCode[] {
  const counts = new Map<CauseCode, number>();
  for (const { verdict } of group) {
    const codes = new Set(verdict.causes.filter((c) => pick(c.code, c.severity)).map((c) => c.code));
    for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([code]) => code);
}

/**
 * `connection_refused, lb_error_page nginx, status_mismatch 503`: the down (or degraded) reasons of a
 * group, each code followed by the evidence that makes it concrete (see {@link causeWords}).
 */
export function causeSummary(group: readonly RegionRead[], severity: CauseSeverity): string {
  return rankCauses(group, (_code, s) => s === severity)
    .map((code) => code + causeWords(code, group, severity))
    .join(', ');
}

/**
 * The words that follow a cause code in a reason, from the evidence of the group's causes of that
 * code and severity: `''` when there is nothing to add. Repeated values are said once.
 *
 * - `lb_error_page nginx` (the vendor), `status_mismatch 503`, `slow 4800 ms`,
 *   `health_failed checks.db`, `cert_expiring in 5 days`;
 * - `stale_cache: content frozen 4 rounds` (frozen content: `evidence.frozen`, `unchangedRounds`);
 * - `address_down 127.0.0.12` (the dead addresses, from the key evidence's `addresses` or the
 *   cause's `address` / `addresses`);
 * - `content_changed: health document gone` (the cause's `change`, or `before -> after`);
 * - `operator_page "under maintenance"` (the cause's `phrase`).
 */
export function causeWords(code: CauseCode, group: readonly RegionRead[], severity: CauseSeverity): string {
  const found = group.flatMap((read) => read.verdict.causes.filter((c) => c.code === code && c.severity === severity).map((cause) => ({ read, cause })));
  const texts = (pick: (cause: Cause, read: RegionRead) => ReadonlyArray<string | undefined>): string[] =>
    distinct(found.flatMap(({ cause, read }) => pick(cause, read)));
  const joined = (values: string[], separator = '/') => (values.length > 0 ? ` ${values.join(separator)}` : '');
  switch (code) {
    case 'lb_error_page':
      return joined(texts((cause, read) => [read.verdict.evidence?.errorPageVendor ?? stringOf(cause.evidence['vendor'])]));
    case 'status_mismatch':
      return joined(texts((cause, read) => [numberText(cause.evidence['httpStatus'] ?? read.verdict.evidence?.httpStatus)]));
    case 'slow': {
      const ms = texts((cause) => [numberText(cause.evidence['totalMs'])]);
      return ms.length > 0 ? ` ${ms.join('/')} ms` : '';
    }
    case 'health_failed':
    case 'health_degraded':
      return joined(texts((cause) => [...listOf(cause.evidence[code === 'health_failed' ? 'failed' : 'degraded']), ...listOf(cause.evidence['failing'])]));
    case 'cert_expiring':
      return joined(
        texts((cause) => {
          const days = cause.evidence['daysRemaining'];
          return [typeof days !== 'number' ? undefined : days < 0 ? `expired ${-days} days ago` : `in ${days} day${days === 1 ? '' : 's'}`];
        }),
        ', ',
      );
    case 'stale_cache': {
      const frozen = found.filter(({ cause }) => cause.evidence['frozen'] === true);
      if (frozen.length === 0) return '';
      const rounds = distinct(frozen.map(({ cause }) => numberText(cause.evidence['frozenRounds'] ?? cause.evidence['unchangedRounds'])));
      return `: content frozen${rounds.length > 0 ? ` ${rounds.join('/')} rounds` : ''}`;
    }
    case 'address_down':
      return joined(texts((cause, read) => deadAddresses(cause, read)), ' and ');
    case 'content_changed': {
      const changes = texts((cause) => {
        const change = stringOf(cause.evidence['change']);
        const before = stringOf(cause.evidence['before']);
        const after = stringOf(cause.evidence['after']);
        return [change ?? (before !== undefined && after !== undefined ? `${before} -> ${after}` : undefined)];
      });
      return changes.length > 0 ? `: ${changes.join('; ')}` : '';
    }
    case 'operator_page':
      return joined(
        texts((cause) => {
          const phrase = stringOf(cause.evidence['phrase']);
          return [phrase === undefined ? undefined : `"${phrase}"`];
        }),
        ', ',
      );
    default:
      return '';
  }
}

/** The addresses a region found dead: from the key evidence's per-address results, else from the cause. */
function deadAddresses(cause: Cause, read: RegionRead): string[] {
  // The cause names the dead ones; an address the agent's policy refused is not dead, only unseen.
  const named = listOf(cause.evidence['deadAddresses']);
  if (named.length > 0) return named;
  const fromResults = (read.verdict.evidence?.addresses ?? []).filter((a) => !a.ok && a.error !== 'blocked_target').map((a) => a.address);
  if (fromResults.length > 0) return fromResults;
  return [...listOf(cause.evidence['addresses']), ...listOf(cause.evidence['address'])];
}

/**
 * `fresh (age 12 s of 60 s)`, `served 1840 s past its 60 s lifetime`: an RFC 9111 reading in words;
 * `no freshness reading` when the answer had none.
 */
export function freshnessWords(freshness: Freshness | undefined): string {
  if (freshness === undefined) return 'no freshness reading';
  const { lifetimeSeconds: lifetime, ageSeconds: age, state } = freshness;
  const of = lifetime === null ? `age ${age} s` : `age ${age} s of ${lifetime} s`;
  const past = lifetime === null ? `served at age ${age} s` : `served ${Math.max(0, age - lifetime)} s past its ${lifetime} s lifetime`;
  switch (state) {
    case 'fresh':
      return `fresh (${of})`;
    case 'stale_while_revalidate':
      return `fresh enough: inside stale-while-revalidate (${of})`;
    case 'stale_if_error':
      return `${past}, inside stale-if-error`;
    case 'stale':
      return past;
    case 'unknown':
      return `no freshness lifetime (age ${age} s)`;
  }
}

/** `version 1.4.2 while ap-south, us-east serve 1.5.0`: what a lagging region serves against the others. */
export function lagWords(lag: ContentLag): string {
  const others = `${regionNames(lag.aheadRegions)} ${lag.aheadRegions.length === 1 ? 'serves' : 'serve'}`;
  switch (lag.validator) {
    case 'version':
      return `version ${lag.seen} while ${others} ${lag.expected}`;
    case 'lastModified':
      return `content last modified ${lag.seen}, ${lag.behindSeconds ?? 0} s behind what ${others} (${lag.expected})`;
    case 'etag':
      return `ETag ${lag.seen} from a cache while ${others} ${lag.expected}`;
  }
}

/** `eu-west serves version 1.4.2 while ap-south, us-east serve 1.5.0`. */
export function lagSentence(lag: ContentLag): string {
  return `${lag.region} serves ${lagWords(lag)}`;
}

/** `connection_refused; 502 nginx`: what the bypass requests behind the caches got, from the `stale_cache` evidence. */
export function bypassSummary(group: readonly RegionRead[]): string {
  return distinct(
    group.map(({ verdict }) => {
      const stale = verdict.causes.find((c) => c.code === 'stale_cache' && c.severity === 'down');
      if (stale?.evidence['frozen'] === true) return `content frozen${typeof stale.evidence['unchangedRounds'] === 'number' ? ` ${stale.evidence['unchangedRounds']} rounds` : ''}`;
      const error = stale?.evidence['bypassError'];
      if (typeof error === 'string') return error;
      const status = stale?.evidence['bypassStatus'] ?? verdict.evidence?.bypassStatus;
      const vendor = stale?.evidence['bypassErrorPageVendor'];
      if (typeof status !== 'number') return 'no response';
      return typeof vendor === 'string' ? `${status} ${vendor}` : String(status);
    }),
  ).join('; ');
}

/** `name (summary)`, or just `name` when there is nothing to add. */
export function withDetail(text: string, detail: string): string {
  return detail === '' ? text : `${text} (${detail})`;
}

/** `; no answer from ap-south; probe refused in eu-west`, or nothing when every region answered. */
export function blindSuffix(blind: readonly RegionRead[]): string {
  const missing = blind.filter((r) => r.reading === 'missing');
  const refused = blind.filter((r) => r.reading === 'refused');
  return (missing.length > 0 ? `; no answer from ${regionList(missing)}` : '') + (refused.length > 0 ? `; probe refused in ${regionList(refused)}` : '');
}

function distinct(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberText(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}
