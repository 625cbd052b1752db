import type { Baseline } from '../baseline/baseline';
import { compareToBaseline } from '../baseline/compare-to-baseline';
import { fingerprintResponse, type ContentFingerprint } from '../baseline/content-fingerprint';
import { contentValidatorsOf, type ContentValidators } from '../baseline/content-validators';
import { judgeFrozenContent } from '../baseline/frozen-content';
import { sameShape } from '../baseline/same-shape';
import { specHashOf } from '../baseline/spec-hash';
import { authWallDetector } from '../detectors/auth-wall/auth-wall.detector';
import { judgeCache, type BypassJudgement } from '../detectors/cache/cache.detector';
import { readCacheEvidence, type CacheReading } from '../detectors/cache/cache-evidence';
import { certificateDetector } from '../detectors/certificate/certificate.detector';
import { errorPageDetector } from '../detectors/error-page/error-page.detector';
import { healthDocumentDetector } from '../detectors/health-document/health-document.detector';
import { operatorPageDetector } from '../detectors/operator-page/operator-page.detector';
import { softErrorDetector } from '../detectors/soft-error/soft-error.detector';
import { causeOfBodyPatternsNotMatched } from '../expectations/body-pattern';
import { causeOfExpectation, checkExpectation, describeExpectation } from '../expectations/check-expectation';
import type { Observation, RequestOutcome } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { Cause, CauseCode, ExpectationResult, KeyEvidence, Verdict } from '../verdict/verdict';
import { statusOf } from '../verdict/verdict';
import { judgeAddresses, type AddressJudgement } from './address-outcomes';
import { createEvaluationContext, type Detector, type EvaluationContext } from './evaluation-context';
import { causeOfProbeError } from './probe-error-cause';

type DetectorSwitch = keyof CompiledSpec['detectors'];

/** The built-in detectors in the order their causes are listed, each behind its switch in the spec. */
const DETECTORS: ReadonlyArray<readonly [DetectorSwitch, Detector]> = [
  ['errorPage', errorPageDetector],
  ['authWall', authWallDetector],
  ['healthDocument', healthDocumentDetector],
  ['softError', softErrorDetector],
  ['operatorPage', operatorPageDetector],
];

/** Causes that explain a failed status better than `status_mismatch` does on its own. */
const EXPLAINS_STATUS: ReadonlySet<CauseCode> = new Set(['lb_error_page', 'auth_wall', 'health_failed', 'redirect_failure']);

/** What was learned about the monitor before this round, for judgements one observation cannot make alone. */
export interface EvaluationHistory {
  /** The healthy baseline of this monitor in this region (from the coordinator, with the check job). */
  baseline?: Baseline;
}

/**
 * Judges one observation against its monitor's spec: `up | degraded | down`, every cause with the
 * values seen, and every expectation's result. Pure and deterministic: the same observation,
 * spec and history always give the same verdict (the clock is the observation's own `startedAt`).
 *
 * With a baseline learned under this spec (`history.baseline`, at least `baseline.learnRounds`
 * healthy rounds, `spec.baseline.enabled`), a 2xx answer not already down is also compared to
 * it: `content_changed` when it departs from the healthy shape, `stale_cache` (frozen) when
 * content that advanced every round stopped.
 */
export function evaluate(spec: CompiledSpec, observation: Observation, history: EvaluationHistory = {}): Verdict {
  return judgeObservation(spec, observation, history, false).verdict;
}

/** A verdict with the fingerprint of the response it judged. */
export interface FingerprintedVerdict {
  verdict: Verdict;
  /** `fingerprintOf(spec, observation)`: absent when the probe got no response. */
  fingerprint?: ContentFingerprint;
}

/**
 * {@link evaluate}, handing back the response's fingerprint too: what an agent or the CLI learns
 * the next baseline from. The fingerprint is made from the body already parsed, read and hashed
 * for the verdict, where `evaluate` followed by `fingerprintOf` would do all of that twice.
 */
export function evaluateWithFingerprint(spec: CompiledSpec, observation: Observation, history: EvaluationHistory = {}): FingerprintedVerdict {
  return judgeObservation(spec, observation, history, true);
}

function judgeObservation(spec: CompiledSpec, observation: Observation, history: EvaluationHistory, wantFingerprint: boolean): FingerprintedVerdict {
  const primary = judgeOutcome(spec, observation, observation, false);
  const causes = [...primary.causes];
  let cache: CacheReading | undefined;
  let bypass: BypassJudgement | undefined;
  let content: ContentValidators | undefined;
  let fingerprint: ContentFingerprint | undefined;

  if (observation.bypass) {
    const judged = sameAnswer(observation, observation.bypass)
      ? // The usual healthy case: the bypass got what users got; judging it again would repeat the primary's verdict.
        primary.causes.filter((c) => !PRIMARY_ONLY.has(c.code))
      : judgeOutcome(spec, observation, observation.bypass, true).causes;
    bypass = { outcome: observation.bypass, status: statusOf(judged), causes: judged };
  }
  if (primary.context) {
    cache = readCacheEvidence(primary.context.response.headers, observation.startedAt, primary.context.response.status);
    // A response already down on its own needs no cache story; one that looks healthy does.
    if (spec.detectors.cache && statusOf(causes) !== 'down') causes.push(...judgeCache(primary.context, cache, bypass));
    content = contentValidatorsOf(primary.context);
    const baseline = history.baseline;
    if (baseline && judgesBaseline(spec, baseline, primary.context.response.status)) {
      const response = primary.context.response;
      // A 2xx down for another reason (an operator's page, an error body) still says what it replaced,
      // as information: the other cause already decides, and nothing is said twice.
      const downAlready = statusOf(causes) === 'down';
      fingerprint = fingerprintResponse(primary.context, content);
      const changed = compareToBaseline(fingerprint, baseline, response.bodyBytes);
      causes.push(...(downAlready ? changed.map((cause) => ({ ...cause, severity: 'info' as const })) : changed));
      // Like the cache story: only an answer that looks healthy needs telling whether it is frozen.
      // A cache's frozen copy is the healthy answer it stored, in the learned shape; content of
      // another shape that stopped changing is new content (a deploy that dropped a clock field),
      // which the baseline adopts after relearnAfterRounds instead.
      if (!downAlready && sameShape(fingerprint, baseline.fingerprint)) {
        const frozen = { validators: content, response, cache, ...(observation.bypass ? { bypass: observation.bypass } : {}) };
        causes.push(...judgeFrozenContent(frozen, baseline, spec.baseline));
      }
    }
    if (wantFingerprint && fingerprint === undefined) fingerprint = fingerprintResponse(primary.context, content);
    if (primary.context.response.bodyTruncated) {
      causes.push({
        code: 'body_truncated',
        severity: 'info',
        message: `body longer than the ${observation.bodyCapBytes}-byte cap; only the first ${primary.context.response.bodyBytes} bytes were read and judged`,
        evidence: { bodyCapBytes: observation.bodyCapBytes, bodyBytes: primary.context.response.bodyBytes },
      });
    }
  }
  const addresses = judgeAddresses(observation, spec.followRedirects, (outcome) => judgeOutcome(spec, observation, outcome, true).causes);
  if (addresses?.cause) causes.push(addresses.cause);

  const verdict: Verdict = {
    status: statusOf(causes),
    causes,
    expectations: primary.expectations,
    evidence: keyEvidence(observation, causes, cache, bypass, content, addresses),
  };
  return fingerprint ? { verdict, fingerprint } : { verdict };
}

/** Whether a baseline may judge this answer: enabled, learned long enough, under this very spec, and a 2xx. */
function judgesBaseline(spec: CompiledSpec, baseline: Baseline, status: number): boolean {
  return (
    spec.baseline.enabled &&
    status >= 200 &&
    status < 300 &&
    baseline.rounds >= spec.baseline.learnRounds &&
    baseline.specHash === specHashOfCompiled(spec)
  );
}

// A compiled spec is evaluated many times; its hash is computed once.
const specHashes = new WeakMap<CompiledSpec, string>();

function specHashOfCompiled(spec: CompiledSpec): string {
  let hash = specHashes.get(spec);
  if (hash === undefined) {
    hash = specHashOf({ url: spec.url, method: spec.method, headers: spec.headers, body: spec.body, expect: spec.expect });
    specHashes.set(spec, hash);
  }
  return hash;
}

/** Causes that already tell what an operator page would: `operator_page` is dropped beside them, so nothing is said twice. */
const TELLS_OPERATOR_PAGE: ReadonlySet<CauseCode> = new Set(['lb_error_page', 'soft_error', 'envelope_failure', 'health_failed', 'health_degraded']);

/** Causes judged on the primary only: the bypass's own latency and certificate are not the users'. */
const PRIMARY_ONLY: ReadonlySet<CauseCode> = new Set(['slow', 'cert_expiring']);

/** Whether two outcomes answered the same thing (status, redirects, body), so they judge the same. */
function sameAnswer(primary: RequestOutcome, bypass: RequestOutcome): boolean {
  const a = primary.response;
  const b = bypass.response;
  return (
    a !== undefined &&
    b !== undefined &&
    !primary.error &&
    !bypass.error &&
    a.status === b.status &&
    primary.redirects.length === bypass.redirects.length &&
    a.bodyTruncated === b.bodyTruncated &&
    a.headers['content-type'] === b.headers['content-type'] &&
    a.headers['server'] === b.headers['server'] &&
    a.body === b.body
  );
}

interface OutcomeJudgement {
  causes: Cause[];
  expectations: ExpectationResult[];
  context?: EvaluationContext;
}

/** Judges one request outcome: the primary, or the bypass (which skips latency, certificate and cache). */
function judgeOutcome(spec: CompiledSpec, observation: Observation, outcome: RequestOutcome, isBypass: boolean): OutcomeJudgement {
  const response = outcome.response;
  if (outcome.error || !response) {
    const error = outcome.error ?? { code: 'protocol_error', phase: 'headers', url: outcome.finalUrl, message: 'no response was recorded' };
    return {
      causes: [causeOfProbeError(error, outcome.redirects.length)],
      expectations: spec.expectations.map((e) => {
        const expected = describeExpectation(e);
        return { kind: e.kind, passed: null, expected, actual: null, description: `[${e.kind}] ${expected}: not evaluated, no response (${error.code})` };
      }),
    };
  }

  const source: Observation = isBypass ? { ...outcome, startedAt: observation.startedAt, bodyCapBytes: observation.bodyCapBytes } : observation;
  const context = createEvaluationContext(spec, source, response);
  const causes: Cause[] = [];
  const expectations: ExpectationResult[] = [];
  let statusResult: ExpectationResult | undefined;

  for (const expectation of spec.expectations) {
    if (isBypass && expectation.kind === 'latency') continue;
    const result = checkExpectation(expectation, context);
    expectations.push(result);
    if (result.passed !== false) continue;
    // A failed status is named below, once the detectors have said whether they explain it.
    if (expectation.kind === 'status') statusResult = result;
    const cause = causeOfExpectation(expectation, result, context);
    if (cause) causes.push(cause);
  }
  const notMatched = causeOfBodyPatternsNotMatched(context);
  if (notMatched) causes.push(notMatched);

  for (const [name, detector] of DETECTORS) {
    if (spec.detectors[name]) causes.push(...detector(context));
  }
  if (!isBypass && spec.detectors.certificate) causes.push(...certificateDetector(context));

  const codes = new Set(causes.map((c) => c.code));
  if (statusResult) {
    if (outcome.redirects.length > 0 && !codes.has('auth_wall') && !codes.has('lb_error_page')) {
      causes.unshift({
        code: 'redirect_failure',
        severity: 'down',
        message: `redirects ended at ${outcome.finalUrl} with status ${response.status}, expected ${statusResult.expected.replace(/^status in /, '')}`,
        evidence: {
          httpStatus: response.status,
          finalUrl: outcome.finalUrl,
          chain: outcome.redirects.map((hop) => `${hop.status} ${hop.url} -> ${hop.location}`),
        },
      });
    } else if (![...codes].some((code) => EXPLAINS_STATUS.has(code))) {
      causes.unshift({
        code: 'status_mismatch',
        severity: 'down',
        message: `status ${response.status}, expected ${statusResult.expected.replace(/^status in /, '')}`,
        evidence: { httpStatus: response.status, expected: statusResult.expected },
      });
    }
  }
  // A proxy's error page also reads as a soft error; the vendor's name is the better story.
  let result = codes.has('lb_error_page') ? causes.filter((c) => c.code !== 'soft_error') : causes;
  // An operator's text is the story only when no fingerprint or error body already told it.
  if (codes.has('operator_page') && [...codes].some((code) => TELLS_OPERATOR_PAGE.has(code))) result = result.filter((c) => c.code !== 'operator_page');
  return { causes: result, expectations, context };
}

function keyEvidence(
  observation: Observation,
  causes: readonly Cause[],
  cache: CacheReading | undefined,
  bypass: BypassJudgement | undefined,
  content: ContentValidators | undefined,
  addresses: AddressJudgement | undefined,
): KeyEvidence {
  // The page users got; what the bypass met behind a cache is in the `stale_cache` cause's evidence.
  const vendor = causes.find((c) => c.code === 'lb_error_page')?.evidence['vendor'];
  return {
    httpStatus: observation.response?.status ?? null,
    finalUrl: observation.finalUrl,
    totalMs: Math.round(observation.timings.total),
    redirects: observation.redirects.length,
    cache: cache
      ? {
          hit: cache.hit,
          signals: cache.signals,
          ...(cache.ageSeconds !== undefined ? { ageSeconds: cache.ageSeconds } : {}),
          ...(cache.freshness ? { freshness: cache.freshness } : {}),
        }
      : { hit: false, signals: [] },
    ...(bypass ? { bypassStatus: bypass.outcome.response?.status ?? null } : {}),
    ...(typeof vendor === 'string' ? { errorPageVendor: vendor } : {}),
    ...(observation.error ? { probeError: observation.error.code } : {}),
    ...(content ? { content } : {}),
    ...(observation.response?.httpVersion !== undefined ? { protocol: observation.response.httpVersion } : {}),
    ...(addresses ? { addresses: addresses.results } : {}),
  };
}
