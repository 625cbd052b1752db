import type { Cause, Evidence, ExpectationResult, KeyEvidence } from '@crosscheck/checks';
import type { CheckResult, ObservationSummary } from '@crosscheck/contract';
import type { ExpectationCounts, RegionReport, ResultRecord } from './round';

/** The most a stored result (one entry of a monitor's history) takes, as JSON. */
export const MAX_STORED_RESULT_BYTES = 16 * 1024;
/** Characters of a value a stored result keeps: a failed expectation's expected/actual, a message. */
export const STORED_VALUE_CHARS = 256;

/**
 * How hard a result is cut, from the usual (`values` of 256 characters) to the last resort; each
 * step is tried in turn until the result fits {@link MAX_STORED_RESULT_BYTES}.
 */
interface Cut {
  /** Characters kept of every text. */
  text: number;
  /** Characters kept of a URL. */
  url: number;
  /** Items kept of a list in evidence (a redirect chain, cache signals). */
  listItems: number;
  /** Failed expectations kept (their count is always kept). */
  expectations: number;
  /** Keep only the first cause of each code and severity (the rest are counted). */
  collapseCauses: boolean;
  /** Keep the observation's headers. */
  headers: boolean;
}

const CUTS: readonly Cut[] = [
  { text: STORED_VALUE_CHARS, url: 1024, listItems: 16, expectations: Infinity, collapseCauses: false, headers: true },
  // A cause per failed expectation repeats what the expectations show: one per code is enough.
  { text: 96, url: 256, listItems: 8, expectations: 40, collapseCauses: true, headers: true },
  { text: 64, url: 128, listItems: 4, expectations: 16, collapseCauses: true, headers: false },
  { text: 32, url: 96, listItems: 0, expectations: 0, collapseCauses: true, headers: false },
];

/** What is stored of one result: the region's report (in the round) and the history record. */
export interface CompactResult {
  report: RegionReport;
  record: ResultRecord;
}

/**
 * Compacts a result for storage: the verdict, its causes and key evidence, the FAILED
 * expectations (values cut to {@link STORED_VALUE_CHARS}) and a count of the others, the
 * observation's summary. When that is still over {@link MAX_STORED_RESULT_BYTES} (a spec at the
 * budget's limits, every expectation failing), texts are cut further and the least telling parts
 * dropped, and the record says `truncated: true`. Every cause code and severity survives every
 * cut: reconciliation reads them.
 */
export function compactResult(result: CheckResult, scheduledAt: number): CompactResult {
  let compact: CompactResult | undefined;
  for (const [level, cut] of CUTS.entries()) {
    compact = compactWith(result, scheduledAt, cut, level > 0);
    if (Buffer.byteLength(JSON.stringify(compact.record)) <= MAX_STORED_RESULT_BYTES) return compact;
  }
  // The last cut keeps one short cause per code and severity and no lists: a few KiB at most.
  return compact as CompactResult;
}

function compactWith(result: CheckResult, scheduledAt: number, cut: Cut, truncated: boolean): CompactResult {
  const { verdict } = result;
  const causes = compactCauses(verdict.causes, cut);
  const report: RegionReport = {
    status: verdict.status,
    causes: causes.kept,
    evidence: compactKeyEvidence(verdict.evidence, cut),
    agentId: result.agentId,
    agentVersion: result.agentVersion,
    checkedAt: new Date(result.finishedAt).toISOString(),
    ...(truncated ? { truncated: true as const } : {}),
  };
  const failed = verdict.expectations.filter((e) => e.passed === false);
  const counts: ExpectationCounts = {
    passed: verdict.expectations.filter((e) => e.passed === true).length,
    failed: failed.length,
    notEvaluated: verdict.expectations.filter((e) => e.passed === null).length,
  };
  const record: ResultRecord = {
    ...report,
    roundId: result.roundId,
    monitorId: result.monitorId,
    region: result.region,
    scheduledAt,
    expectations: failed.slice(0, cut.expectations).map((e) => compactExpectation(e, cut)),
    expectationCounts: counts,
    ...(causes.dropped > 0 ? { droppedCauses: causes.dropped } : {}),
    startedAt: result.startedAt,
    observation: compactObservation(result.observation, cut),
  };
  return { report, record };
}

function compactCauses(causes: readonly Cause[], cut: Cut): { kept: Cause[]; dropped: number } {
  const seen = new Set<string>();
  const kept: Cause[] = [];
  for (const cause of causes) {
    const key = `${cause.code}/${cause.severity}`;
    if (cut.collapseCauses && seen.has(key)) continue;
    seen.add(key);
    kept.push({ code: cause.code, severity: cause.severity, message: clip(cause.message, cut.text), evidence: compactEvidence(cause.evidence, cut) });
  }
  return { kept, dropped: causes.length - kept.length };
}

function compactEvidence(evidence: Evidence, cut: Cut): Evidence {
  const compact: Evidence = {};
  for (const [name, value] of Object.entries(evidence)) {
    if (typeof value === 'string') compact[name] = clip(value, cut.text);
    else if (Array.isArray(value)) {
      if (cut.listItems > 0) compact[name] = value.slice(0, cut.listItems).map((item) => clip(item, cut.text));
    } else compact[name] = value;
  }
  return compact;
}

function compactKeyEvidence(evidence: KeyEvidence, cut: Cut): KeyEvidence {
  return {
    ...evidence,
    finalUrl: clip(evidence.finalUrl, cut.url),
    cache: { ...evidence.cache, signals: evidence.cache.signals.slice(0, Math.max(cut.listItems, 1)).map((signal) => clip(signal, cut.text)) },
    ...(evidence.errorPageVendor !== undefined ? { errorPageVendor: clip(evidence.errorPageVendor, cut.text) } : {}),
  };
}

function compactExpectation(expectation: ExpectationResult, cut: Cut): ExpectationResult {
  return {
    kind: expectation.kind,
    passed: expectation.passed,
    description: clip(expectation.description, cut.text),
    expected: clip(expectation.expected, cut.text),
    actual: expectation.actual === null ? null : clip(expectation.actual, cut.text),
  };
}

function compactObservation(observation: ObservationSummary, cut: Cut): ObservationSummary {
  const headers: Record<string, string> = {};
  if (cut.headers) for (const [name, value] of Object.entries(observation.headers)) headers[name] = clip(value, cut.text);
  // The fingerprint feeds the region's baseline (kept once, beside its latest result), not history.
  const { fingerprint: _fingerprint, specHash: _specHash, ...kept } = observation;
  return {
    ...kept,
    url: clip(observation.url, cut.url),
    finalUrl: clip(observation.finalUrl, cut.url),
    headers,
  };
}

/** Cuts a text to `max` characters, marking the cut with `…`. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
