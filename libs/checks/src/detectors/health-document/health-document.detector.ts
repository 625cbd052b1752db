import type { Detector, EvaluationContext } from '../../context/evaluation-context';
import type { Cause, Evidence } from '../../verdict/verdict';
import type { HealthReport } from './health-report';
import { readHealthDocument } from './read-health-document';

/**
 * Reads a health document in the body and believes it over the status line: a `200` that says
 * `"database": "disconnected"`, or an overall `ok` beside a failed check, is `health_failed`
 * (down), naming each failed dependency; a warning or degraded dependency with nothing failed is
 * `health_degraded`. A document whose every dependency passes gives no cause.
 */
export const healthDocumentDetector: Detector = (context) => {
  if (!context.spec.detectors.healthDocument) return [];
  const reading = healthReadingOf(context);
  return reading ? causesOf(reading.report) : [];
};

// The detector and the content fingerprint both read the document; it is read once per evaluation.
const readings = new WeakMap<EvaluationContext, HealthReading | null>();

/** A health document as read, with the names of all its dependencies (healthy ones included). */
export interface HealthReading {
  report: HealthReport;
  /** Every dependency named, in document order (at most 200). */
  dependencies: string[];
}

/** The body read as a health document (see {@link readHealthDocument}), once per evaluation context. */
export function healthReadingOf(context: EvaluationContext): HealthReading | undefined {
  const cached = readings.get(context);
  if (cached !== undefined) return cached ?? undefined;
  const { json, mediaType, response } = context;
  const dependencies: string[] = [];
  const report = readHealthDocument(json.parsed ? json.value : undefined, mediaType, response.body, dependencies);
  const reading = report ? { report, dependencies } : undefined;
  readings.set(context, reading ?? null);
  return reading;
}

function causesOf(report: HealthReport): Cause[] {
  const lead = `health document (${report.format})`;
  if (report.overall === 'fail' || report.failed.length > 0) {
    let message: string;
    if (report.overall === 'fail') {
      message = `${lead} reports ${report.overallRaw}${report.failed.length > 0 ? `: ${report.failed.join(', ')}` : ''}`;
    } else {
      message = `${lead} ${overallPhrase(report)}, but failed: ${report.failed.join(', ')}`;
    }
    return [{ code: 'health_failed', severity: 'down', message, evidence: evidenceOf(report, report.failed) }];
  }
  if (report.overall === 'warn' || report.degraded.length > 0) {
    const message =
      report.overall === 'warn'
        ? `${lead} reports ${report.overallRaw}${report.degraded.length > 0 ? `: ${report.degraded.join(', ')}` : ''}`
        : `${lead} ${overallPhrase(report)}, but degraded: ${report.degraded.join(', ')}`;
    return [{ code: 'health_degraded', severity: 'degraded', message, evidence: evidenceOf(report, report.degraded) }];
  }
  return [];
}

function overallPhrase(report: HealthReport): string {
  return report.overallRaw === '' ? 'has no overall status' : `reports ${report.overallRaw}`;
}

function evidenceOf(report: HealthReport, named: readonly string[]): Evidence {
  const outputs = named.filter((name) => report.outputs[name] !== undefined).map((name) => `${name}: ${report.outputs[name]}`);
  return {
    format: report.format,
    overall: report.overallRaw,
    failed: report.failed,
    degraded: report.degraded,
    ...(outputs.length > 0 ? { outputs } : {}),
  };
}
