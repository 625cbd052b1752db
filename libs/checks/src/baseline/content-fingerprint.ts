import type { EvaluationContext } from '../context/evaluation-context';
import { healthReadingOf } from '../detectors/health-document/health-document.detector';
import { readHtmlPage } from '../detectors/soft-error/html-page';
import { isJsonObject } from '../json/json-object';
import { MAX_ASSERTED_BODY_BYTES } from '../spec/spec-limits';
import { clip, CONTENT_LIMITS, contentValidatorsOf, type ContentValidators } from './content-validators';

/** What a body is, coarsely: the thing a healthy endpoint keeps being round after round. */
export type ContentKind = 'health' | 'json' | 'html' | 'text' | 'empty' | 'other';

/**
 * A compact fingerprint of one response: its shape (what kind of body, which keys, which
 * dependencies, which title, roughly how big, which server) and its validators. Computed at the
 * agent and sent in the result (observation summary `fingerprint`); the baseline learns it.
 * `fingerprintOf` (in `evaluate/`) makes one from an observation.
 */
export interface ContentFingerprint {
  /** Media type in lower case without parameters; `''` when absent. */
  mediaType: string;
  kind: ContentKind;
  /** The health document's dialect (`ietf-health`, `spring-actuator`, `dotnet`, `simple`), when it is one. */
  healthDialect?: string;
  /** The health document's dependency names, sorted, at most 32. */
  dependencies?: string[];
  /** Top-level keys of a JSON object, sorted, at most 32. */
  jsonKeys?: string[];
  /** The HTML page's `<title>`, clipped to 120 characters. */
  htmlTitle?: string;
  /** `floor(log2(bodyBytes + 1))`: 0 for an empty body, 9 for 512-1023 bytes. */
  sizeBand: number;
  /** The `Server` header, clipped to 64 characters. */
  server?: string;
  validators: ContentValidators;
}

/**
 * The fingerprint of the context's response. Cheap by design (it runs on every evaluation that
 * has a baseline): it reuses the body parsed as JSON, the health document and the HTML page the
 * detectors read, and hashes the body once.
 */
export function fingerprintResponse(context: EvaluationContext, validators: ContentValidators = contentValidatorsOf(context)): ContentFingerprint {
  const { response, mediaType, json } = context;
  const fingerprint: ContentFingerprint = {
    mediaType: clip(mediaType, CONTENT_LIMITS.mediaType),
    kind: 'other',
    sizeBand: sizeBandOf(response.bodyBytes),
    validators,
  };
  const server = response.headers['server'];
  if (server !== undefined && server !== '') fingerprint.server = clip(server, CONTENT_LIMITS.server);
  if (json.parsed && isJsonObject(json.value)) fingerprint.jsonKeys = sortedNames(Object.keys(json.value));

  if (response.body === '') {
    fingerprint.kind = 'empty';
    return fingerprint;
  }
  const health = healthReadingOf(context);
  if (health) {
    fingerprint.kind = 'health';
    fingerprint.healthDialect = clip(health.report.format, CONTENT_LIMITS.dialect);
    fingerprint.dependencies = sortedNames(health.dependencies);
    return fingerprint;
  }
  if (json.parsed || (isJsonMediaType(mediaType) && (response.bodyTruncated || response.bodyBytes > MAX_ASSERTED_BODY_BYTES))) {
    // A JSON body too large to parse is still JSON by its type; a small one that fails to parse is not.
    fingerprint.kind = 'json';
    return fingerprint;
  }
  const page = readHtmlPage(response, mediaType);
  if (page) {
    fingerprint.kind = 'html';
    if (page.title !== undefined) fingerprint.htmlTitle = clip(page.title, CONTENT_LIMITS.title);
    return fingerprint;
  }
  if (mediaType === '' || mediaType.startsWith('text/') || isJsonMediaType(mediaType)) fingerprint.kind = 'text';
  return fingerprint;
}

export function sizeBandOf(bodyBytes: number): number {
  return Math.floor(Math.log2(Math.max(0, bodyBytes) + 1));
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType.endsWith('/json') || mediaType.endsWith('+json');
}

function sortedNames(names: readonly string[]): string[] {
  const sorted = names.map((name) => clip(name, CONTENT_LIMITS.name)).sort();
  return sorted.length > CONTENT_LIMITS.list ? sorted.slice(0, CONTENT_LIMITS.list) : sorted;
}
