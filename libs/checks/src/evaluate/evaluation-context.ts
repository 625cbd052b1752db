import type { Observation, ResponseFacts } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import { MAX_ASSERTED_BODY_BYTES } from '../spec/spec-limits';
import { matchBodyPatterns, type BodyPatternMatches } from './body-patterns';
import type { Cause } from '../verdict/verdict';

/** A body parsed as JSON once per evaluation, shared by every expectation and detector. */
export type JsonBody = { parsed: true; value: unknown } | { parsed: false };

/** What every expectation and detector reads. Built once per evaluation. */
export interface EvaluationContext {
  spec: CompiledSpec;
  observation: Observation;
  /** The primary response (detectors only run when there is one). */
  response: ResponseFacts;
  json: JsonBody;
  /** Media type in lower case without parameters, e.g. `application/health+json`; `''` when absent. */
  mediaType: string;
  /** The probe's clock when the request started (epoch ms). */
  now: number;
  /**
   * Which body expressions (indexes in `spec.bodyPatterns`) match the body somewhere: one pass
   * over the body for all of them, made on the first call; `too_costly` when they could not be
   * matched over this body within their budget.
   */
  bodyPatterns(): BodyPatternMatches;
  /** The result of {@link bodyPatterns} if it was asked for, without making the pass. */
  bodyPatternsIfMatched(): BodyPatternMatches | undefined;
}

/** A built-in detector: a pure function from what was seen to the causes it finds (often none). */
export type Detector = (context: EvaluationContext) => Cause[];

/**
 * Parses the body as JSON when it looks like JSON; a failed parse is not an error, only "not JSON".
 * Bodies over {@link MAX_ASSERTED_BODY_BYTES} are not parsed: parsing costs CPU per byte, and a
 * monitor reading more than that has no JSON assertions (its spec was refused otherwise).
 */
export function parseJsonBody(response: ResponseFacts, mediaType: string): JsonBody {
  const body = response.body;
  if (body === '' || response.bodyTruncated || response.bodyBytes > MAX_ASSERTED_BODY_BYTES) return { parsed: false };
  const looksJson = mediaType.endsWith('json') || mediaType.endsWith('+json');
  const first = firstNonSpace(body);
  if (!looksJson && first !== '{' && first !== '[') return { parsed: false };
  try {
    return { parsed: true, value: JSON.parse(body) as unknown };
  } catch {
    return { parsed: false };
  }
}

/** `Content-Type: Application/Health+JSON; charset=utf-8` -> `application/health+json`. */
export function mediaTypeOf(headers: Readonly<Record<string, string>>): string {
  const value = headers['content-type'];
  if (value === undefined) return '';
  const semicolon = value.indexOf(';');
  return (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

/** Builds the context every expectation and detector reads, parsing the body once. */
export function createEvaluationContext(
  spec: CompiledSpec,
  observation: Observation,
  response: ResponseFacts,
): EvaluationContext {
  const mediaType = mediaTypeOf(response.headers);
  let matched: BodyPatternMatches | undefined;
  return {
    spec,
    observation,
    response,
    json: parseJsonBody(response, mediaType),
    mediaType,
    now: observation.startedAt,
    bodyPatterns: () =>
      (matched ??= spec.bodyPatterns ? matchBodyPatterns(spec.bodyPatterns, response.body) : { kind: 'matched', indexes: new Set() }),
    bodyPatternsIfMatched: () => matched,
  };
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length && i < 1024; i++) {
    const char = text[i];
    if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t' && char !== '\uFEFF') return char ?? '';
  }
  return '';
}
