import type { BodyPatternMatches, EvaluationContext, JsonBody } from '../context/evaluation-context';
import type { Observation, ResponseFacts } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import { MAX_ASSERTED_BODY_BYTES } from '../spec/spec-limits';
import { matchBodyPatterns } from './body-patterns';

// The types live in the leaf `context/`, so detectors and expectations need not import this file.
export type { Detector, EvaluationContext, JsonBody } from '../context/evaluation-context';

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
