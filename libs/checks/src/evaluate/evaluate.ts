import { authWallDetector } from '../detectors/auth-wall/auth-wall.detector';
import { judgeCache, type BypassJudgement } from '../detectors/cache/cache.detector';
import { readCacheEvidence, type CacheReading } from '../detectors/cache/cache-evidence';
import { certificateDetector } from '../detectors/certificate/certificate.detector';
import { errorPageDetector } from '../detectors/error-page/error-page.detector';
import { healthDocumentDetector } from '../detectors/health-document/health-document.detector';
import { operatorPageDetector } from '../detectors/operator-page/operator-page.detector';
import { softErrorDetector } from '../detectors/soft-error/soft-error.detector';
import { checkExpectation, describeExpectation, TOO_COSTLY } from '../expectations/check-expectation';
import type { Observation, RequestOutcome } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { Cause, CauseCode, ExpectationResult, KeyEvidence, Verdict } from '../verdict/verdict';
import { statusOf } from '../verdict/verdict';
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

const EXPECTATION_CAUSE: Record<string, CauseCode> = {
  status: 'status_mismatch',
  'body.contains': 'body_mismatch',
  'body.notContains': 'body_mismatch',
  'body.matches': 'body_mismatch',
  'body.notMatches': 'body_mismatch',
  json: 'json_assertion_failed',
  header: 'header_mismatch',
};

/**
 * Judges one observation against its monitor's spec: `up | degraded | down`, every cause with the
 * values seen, and every expectation's result. Pure and deterministic: the same observation and
 * spec always give the same verdict (the clock is the observation's own `startedAt`).
 */
export function evaluate(spec: CompiledSpec, observation: Observation): Verdict {
  const primary = judgeOutcome(spec, observation, observation, false);
  const causes = [...primary.causes];
  let cache: CacheReading | undefined;
  let bypass: BypassJudgement | undefined;

  if (observation.bypass) {
    const judged = sameAnswer(observation, observation.bypass)
      ? // The usual healthy case: the bypass got what users got; judging it again would repeat the primary's verdict.
        primary.causes.filter((c) => !PRIMARY_ONLY.has(c.code))
      : judgeOutcome(spec, observation, observation.bypass, true).causes;
    bypass = { outcome: observation.bypass, status: statusOf(judged), causes: judged };
  }
  if (primary.context) {
    cache = readCacheEvidence(primary.context.response.headers, observation.startedAt);
    // A response already down on its own needs no cache story; one that looks healthy does.
    if (spec.detectors.cache && statusOf(causes) !== 'down') causes.push(...judgeCache(primary.context, cache, bypass));
    if (primary.context.response.bodyTruncated) {
      causes.push({
        code: 'body_truncated',
        severity: 'info',
        message: `body longer than the ${observation.bodyCapBytes}-byte cap; only the first ${primary.context.response.bodyBytes} bytes were read and judged`,
        evidence: { bodyCapBytes: observation.bodyCapBytes, bodyBytes: primary.context.response.bodyBytes },
      });
    }
  }

  return {
    status: statusOf(causes),
    causes,
    expectations: primary.expectations,
    evidence: keyEvidence(observation, causes, cache, bypass),
  };
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
    if (expectation.kind === 'status') {
      statusResult = result;
    } else if (expectation.kind === 'latency') {
      const total = Math.round(outcome.timings.total);
      const down = expectation.downMs !== undefined && total > expectation.downMs;
      causes.push({
        code: 'slow',
        severity: down ? 'down' : 'degraded',
        message: `took ${total} ms, over the ${down ? expectation.downMs : expectation.degradedMs} ms ${down ? 'down' : 'degraded'} threshold`,
        evidence: { totalMs: total, degradedMs: expectation.degradedMs, downMs: expectation.downMs ?? null, ...phaseEvidence(outcome) },
      });
    } else {
      const code = EXPECTATION_CAUSE[expectation.kind] ?? 'body_mismatch';
      causes.push({ code, severity: 'down', message: result.description, evidence: { expected: result.expected, actual: result.actual } });
    }
  }

  if (context.bodyPatternsIfMatched()?.kind === 'too_costly') {
    // Not judged is not healthy: shown as degraded, never silently passed, never down on its own.
    causes.push({
      code: 'body_mismatch',
      severity: 'degraded',
      message: `body expressions not evaluated: ${TOO_COSTLY}`,
      evidence: { expressions: spec.expectations.filter((e) => e.kind === 'body.matches' || e.kind === 'body.notMatches').length, bodyBytes: response.bodyBytes },
    });
  }
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

function phaseEvidence(outcome: RequestOutcome): Record<string, number | null> {
  const t = outcome.timings;
  return { dnsMs: round(t.dns), connectMs: round(t.connect), tlsMs: round(t.tls), firstByteMs: round(t.firstByte) };
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}

function keyEvidence(
  observation: Observation,
  causes: readonly Cause[],
  cache: CacheReading | undefined,
  bypass: BypassJudgement | undefined,
): KeyEvidence {
  // The page users got; what the bypass met behind a cache is in the `stale_cache` cause's evidence.
  const vendor = causes.find((c) => c.code === 'lb_error_page')?.evidence['vendor'];
  return {
    httpStatus: observation.response?.status ?? null,
    finalUrl: observation.finalUrl,
    totalMs: Math.round(observation.timings.total),
    redirects: observation.redirects.length,
    cache: cache
      ? { hit: cache.hit, signals: cache.signals, ...(cache.ageSeconds !== undefined ? { ageSeconds: cache.ageSeconds } : {}) }
      : { hit: false, signals: [] },
    ...(bypass ? { bypassStatus: bypass.outcome.response?.status ?? null } : {}),
    ...(typeof vendor === 'string' ? { errorPageVendor: vendor } : {}),
    ...(observation.error ? { probeError: observation.error.code } : {}),
  };
}
