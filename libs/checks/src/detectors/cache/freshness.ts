import CachePolicy from 'http-cache-semantics';
import type { Freshness } from '../../verdict/verdict';

/**
 * RFC 9111 freshness of a response as a shared cache (a CDN, Varnish, nginx proxy_cache) must
 * judge it: how long it may be served without asking the origin, how old it is, and whether it is
 * past that. `http-cache-semantics` computes the lifetime (s-maxage, max-age, Expires against
 * Date, the 10% heuristic from Last-Modified, and the directives that forbid storing); this module
 * adds what the library leaves out and makes it run on the probe's clock:
 *
 * - current_age per §4.2.3 is `max(apparent_age, corrected_age_value) + resident_time`; the
 *   library's `age()` counts only `Age`, so a cache that strips `Age` but keeps the origin's `Date`
 *   would look fresh forever. The apparent age (probe clock minus `Date`) counts when it exceeds
 *   {@link DATE_SKEW_TOLERANCE_SECONDS}: below that it is the origin's clock, not the content's age
 *   (the same rule as `readCacheEvidence`, so `CacheFacts.ageSeconds` and this agree).
 * - The response is evaluated the instant it arrived, so resident_time is 0 and request_time =
 *   response_time = the probe's clock (`Observation.startedAt`).
 * - The stale-while-revalidate and stale-if-error windows (RFC 5861), which the library parses but
 *   has no typed accessor for, are read here from `Cache-Control` the way the library reads them.
 *
 * Decisions where the specifications leave the monitor a choice:
 * - `no-store`, `private` (for a shared cache), `no-cache` and `Vary: *` give a lifetime of 0: a
 *   shared cache may not serve them from store without revalidating (`no-cache`: every use must be
 *   revalidated; a revalidated copy starts again at `Age: 0`). So one served with `Age` > 0 is
 *   stale, and no stale window applies.
 * - `Set-Cookie` changes nothing (RFC 9111 does not forbid storing it; the library, by its own
 *   caution, would zero the lifetime of any such response without `public`).
 * - `must-revalidate` and `proxy-revalidate` keep the lifetime (the library zeroes it for
 *   `proxy-revalidate`; RFC 9111 §5.2.2.8 does not) but close both stale windows (§4.2.4).
 * - `s-maxage` implies proxy-revalidate for a shared cache (§5.2.2.10), yet an origin that sends it
 *   together with `stale-while-revalidate`/`stale-if-error` says outright that it allows stale
 *   serving, and CDNs honour that: the explicit windows win.
 * - A response of age 0 is fresh whatever its lifetime: it was produced (or revalidated) just now.
 *   Otherwise fresh means lifetime > current_age, as in §4.2.
 * - Inside both windows at once, `stale_while_revalidate` wins: it is the benign reading, and the
 *   bypass request is there to tell a failing origin.
 */

/** Skew between `Date` and the probe's clock below this is clock drift, not age. */
export const DATE_SKEW_TOLERANCE_SECONDS = 60;

/** Response headers that carry caching information; without any of them a freshness state means nothing. */
const CACHING_HEADERS = ['cache-control', 'expires', 'age', 'last-modified', 'pragma'] as const;

/**
 * A `CachePolicy` on the probe's clock. The library reads `Date.now()` through `now()`: in the
 * constructor, to sample the response time (which `date()` falls back to without a `Date` header,
 * so Expires and the heuristic count from it), and in `age()`. The base constructor calls `now()`
 * before a subclass can set a field, so the clock under construction is handed over in a static,
 * written and read inside the same synchronous constructor call; afterwards the instance's own
 * field answers.
 */
class ProbeClockPolicy extends CachePolicy {
  private static clockUnderConstruction = Number.NaN;
  private readonly clock: number | undefined;

  constructor(response: CachePolicy.HttpResponse, clock: number) {
    ProbeClockPolicy.clockUnderConstruction = clock;
    // A plain GET without credentials: the question is what the response allows a shared cache, not what this probe sent.
    // immutable (RFC 8246) does not lengthen a lifetime; the library's minimum for it also mixes ms into seconds.
    super({ method: 'GET', headers: {} }, response, { shared: true, immutableMinTimeToLive: 0 });
    this.clock = clock;
    ProbeClockPolicy.clockUnderConstruction = Number.NaN;
  }

  /** The probe's clock, never the wall clock. */
  now(): number {
    return this.clock ?? ProbeClockPolicy.clockUnderConstruction;
  }
}

/** Cache-Control directives, lower-case names, values unquoted (as the library parses them). */
function parseCacheControl(header: string | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  if (!header) return directives;
  for (const part of header.split(',')) {
    const [name, value] = part.split('=', 2);
    const key = name?.trim().toLowerCase();
    if (!key) continue;
    directives.set(key, value === undefined ? true : value.trim().replace(/^"|"$/g, ''));
  }
  return directives;
}

/** Seconds of a directive, 0 when absent or malformed (the library's `toNumberOrZero`). */
function secondsOf(directives: Map<string, string | true>, name: string): number {
  const value = directives.get(name);
  if (typeof value !== 'string') return 0;
  const seconds = Number.parseInt(value, 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * Reads a response's RFC 9111 freshness for a shared cache, on the probe's clock `now` (ms since
 * the epoch; the observation's `startedAt`). `headers` have lower-case names. `status` is the
 * response's status (the heuristic and storability depend on it); default 200.
 *
 * `undefined` when the response carries no caching information at all (no `Cache-Control`,
 * `Expires`, `Age`, `Last-Modified` or `Pragma`). Pure: the same arguments give the same reading.
 */
export function readFreshness(headers: Readonly<Record<string, string>>, now: number, status = 200): Freshness | undefined {
  if (!CACHING_HEADERS.some((name) => headers[name] !== undefined)) return undefined;

  // no-store / private / no-cache (most health endpoints send them): the library's lifetime is 0
  // whatever else it says, its age is the Age header, and no stale window applies; answered
  // without parsing further or building a policy, which is most of the cost (evaluation runs at 50,000/s).
  const banned = BANS.test(headers['cache-control'] ?? '');
  const directives = banned ? undefined : parseCacheControl(headers['cache-control']);
  const policy = directives ? policyOf(headers, directives, status, now) : undefined;

  // corrected_age_value (+ resident_time, 0 here) from the library; apparent_age from Date, beyond clock drift.
  const correctedAge = Math.max(0, policy ? policy.age() : ageHeaderOf(headers));
  const date = headers['date'] === undefined ? Number.NaN : Date.parse(headers['date']);
  // Rounded as `readCacheEvidence` rounds it, so `CacheFacts.ageSeconds` and this agree.
  const apparentAge = Number.isFinite(date) ? Math.round((now - date) / 1000) : 0;
  const ageSeconds = Math.floor(Math.max(correctedAge, apparentAge > DATE_SKEW_TOLERANCE_SECONDS ? apparentAge : 0));

  const lifetimeSeconds = policy && directives ? lifetimeOf(policy, headers, directives) : 0;
  if (lifetimeSeconds === null) return { lifetimeSeconds, ageSeconds, state: 'unknown' };
  if (ageSeconds === 0 || lifetimeSeconds > ageSeconds) return { lifetimeSeconds, ageSeconds, state: 'fresh' };
  if (!directives) return { lifetimeSeconds, ageSeconds, state: 'stale' };

  const past = ageSeconds - lifetimeSeconds;
  const { whileRevalidate, ifError } = staleWindows(directives);
  const state = past < whileRevalidate ? 'stale_while_revalidate' : past < ifError ? 'stale_if_error' : 'stale';
  return { lifetimeSeconds, ageSeconds, state };
}

/** The library's policy for these headers on the probe's clock, with the two corrections to it this module makes. */
function policyOf(headers: Readonly<Record<string, string>>, directives: Map<string, string | true>, status: number, now: number): CachePolicy {
  let libraryHeaders: Record<string, string> = headers;
  // The library refuses a shared lifetime to any response with Set-Cookie (its own caution, not RFC 9111's).
  if (headers['set-cookie'] !== undefined) {
    const { 'set-cookie': _cookie, ...rest } = headers;
    libraryHeaders = rest;
  }
  // For a shared cache proxy-revalidate is must-revalidate (§5.2.2.8): it forbids stale serving but keeps the lifetime.
  if (directives.has('proxy-revalidate') && headers['cache-control'] !== undefined) {
    libraryHeaders = { ...libraryHeaders, 'cache-control': headers['cache-control'].replace(/proxy-revalidate/gi, 'must-revalidate') };
  }
  return new ProbeClockPolicy({ status, headers: libraryHeaders }, now);
}

/** The `Age` header as the library reads it (`parseInt`, 0 when malformed). */
function ageHeaderOf(headers: Readonly<Record<string, string>>): number {
  const age = Number.parseInt(headers['age'] ?? '', 10);
  return Number.isFinite(age) ? age : 0;
}

/** The stale windows a shared cache may use, in seconds: 0 where a directive closes them. */
function staleWindows(directives: Map<string, string | true>): { whileRevalidate: number; ifError: number } {
  // no-store / private / no-cache ban serving from store; `max-age=0, stale-while-revalidate=60` is a real window.
  const revalidate = directives.has('must-revalidate') || directives.has('proxy-revalidate');
  const open = !revalidate && !forbidsStore(directives);
  return {
    whileRevalidate: open ? secondsOf(directives, 'stale-while-revalidate') : 0,
    ifError: open ? secondsOf(directives, 'stale-if-error') : 0,
  };
}

/**
 * Seconds a response is past its lifetime and past the stale-while-revalidate it may be served
 * in while a cache refetches: how long past anything a cache in good order does. 0 unless the
 * state is `stale` or `stale_if_error`.
 */
export function overdueSeconds(freshness: Freshness, headers: Readonly<Record<string, string>>): number {
  if ((freshness.state !== 'stale' && freshness.state !== 'stale_if_error') || freshness.lifetimeSeconds === null) return 0;
  return Math.max(0, freshness.ageSeconds - freshness.lifetimeSeconds - staleWindows(parseCacheControl(headers['cache-control'])).whileRevalidate);
}

/** A Cache-Control with a directive {@link forbidsStore} names (a directive name is a token: no `-` before or after). */
const BANS = /(?:^|[\s,])(?:no-store|no-cache|private)(?![\w-])/i;

/** Directives under which a shared cache may not serve from store without revalidation. */
function forbidsStore(directives: Map<string, string | true>): boolean {
  return directives.has('no-store') || directives.has('no-cache') || directives.has('private');
}

/**
 * The library's lifetime (whole seconds), or `null` when the response states none and the
 * heuristic has nothing to count from: the library answers 0 then, which would read as
 * "expired at once" rather than "unknown".
 */
function lifetimeOf(policy: CachePolicy, headers: Readonly<Record<string, string>>, directives: Map<string, string | true>): number | null {
  const lifetime = Math.floor(Math.max(0, policy.maxAge()));
  if (lifetime > 0) return lifetime;
  const explicit =
    directives.has('s-maxage') || directives.has('max-age') || headers['expires'] !== undefined || forbidsStore(directives) || directives.has('proxy-revalidate');
  // `Vary: *` never matches a later request (§4.1): nothing may be served from store.
  if (explicit || headers['vary']?.trim() === '*' || /no-cache/i.test(headers['pragma'] ?? '')) return 0;
  // Heuristic: 10% of Date - Last-Modified, which is 0 when Last-Modified is not before Date.
  const lastModified = headers['last-modified'] === undefined ? Number.NaN : Date.parse(headers['last-modified']);
  return Number.isFinite(lastModified) && policy.storable() ? 0 : null;
}

/**
 * Says where a response's lifetime comes from and which stale window it is in, for messages:
 * `1840 s past its 60 s freshness lifetime (max-age=60)`,
 * `10 s past its 60 s freshness lifetime, inside stale-while-revalidate=30 (max-age=60)`,
 * `fresh, 20 s old of its 60 s freshness lifetime (s-maxage=60)`.
 */
export function describeFreshness(freshness: Freshness, headers: Readonly<Record<string, string>>): string {
  const { lifetimeSeconds: lifetime, ageSeconds: age, state } = freshness;
  if (lifetime === null) return `${age} s old, with no freshness lifetime stated`;
  const source = lifetimeSourceOf(headers);
  if (state === 'fresh') return `fresh, ${age} s old of its ${lifetime} s freshness lifetime (${source})`;
  const directives = parseCacheControl(headers['cache-control']);
  const window =
    state === 'stale_while_revalidate'
      ? `, inside stale-while-revalidate=${secondsOf(directives, 'stale-while-revalidate')}`
      : state === 'stale_if_error'
        ? `, beyond stale-while-revalidate=${secondsOf(directives, 'stale-while-revalidate')}, inside stale-if-error=${secondsOf(directives, 'stale-if-error')}`
        : '';
  return `${age - lifetime} s past its ${lifetime} s freshness lifetime${window} (${source})`;
}

/** The directive or header a shared cache takes the lifetime from, in the library's order. */
function lifetimeSourceOf(headers: Readonly<Record<string, string>>): string {
  const directives = parseCacheControl(headers['cache-control']);
  if (directives.has('no-store')) return 'no-store: a shared cache must not store it';
  if (directives.has('private')) return 'private: a shared cache must not store it';
  if (directives.has('no-cache')) return 'no-cache: every use must be revalidated';
  for (const name of ['s-maxage', 'max-age']) {
    const value = directives.get(name);
    if (typeof value === 'string') return `${name}=${value}`;
  }
  if (headers['expires'] !== undefined) return `Expires ${headers['expires']}${headers['date'] !== undefined ? ` against Date ${headers['date']}` : ''}`;
  if (headers['last-modified'] !== undefined) return `heuristic: 10% of the time since Last-Modified ${headers['last-modified']}`;
  if (/no-cache/i.test(headers['pragma'] ?? '')) return 'Pragma: no-cache: every use must be revalidated';
  return 'Vary: *: a shared cache must not reuse it';
}
