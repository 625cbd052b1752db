import type { EvaluationContext } from '../context/evaluation-context';
import type { ContentValidators } from '../verdict/verdict';
import { isJsonObject, type JsonObject } from '../json/json-object';
import { bodyHashOf } from './body-hash';

export type { ContentValidators } from '../verdict/verdict';

/** The names of {@link ContentValidators}, as the baseline counts them. */
export type ValidatorName = 'etag' | 'lastModified' | 'version' | 'bodyHash';

export const VALIDATOR_NAMES: readonly ValidatorName[] = ['etag', 'lastModified', 'version', 'bodyHash'];

/** Bounds of every string and list a fingerprint or baseline holds (the wire schema checks them). */
export const CONTENT_LIMITS = {
  etag: 128,
  lastModified: 64,
  version: 64,
  bodyHash: 16,
  mediaType: 128,
  dialect: 32,
  name: 128,
  title: 120,
  server: 64,
  list: 32,
  specHash: 64,
} as const;

/**
 * Where bodies keep their version, most specific last: flat fields of home-made health
 * documents, then Spring Boot Actuator `/info` (`build.version`, `git.commit.id`) and the nested
 * `app`/`info` objects of others.
 */
const VERSION_PATHS: readonly (readonly string[])[] = [
  ['version'],
  ['build'],
  ['buildVersion'],
  ['commit'],
  ['gitCommit'],
  ['releaseId'],
  ['release'],
  ['app', 'version'],
  ['info', 'version'],
  ['build', 'version'],
  ['git', 'commit', 'id'],
];

/** The validators of the context's response; fields absent when the response has none of them. */
export function contentValidatorsOf(context: EvaluationContext): ContentValidators {
  const headers = context.response.headers;
  const validators: ContentValidators = {};
  const etag = headers['etag'];
  if (etag !== undefined && etag !== '') validators.etag = clip(etag, CONTENT_LIMITS.etag);
  const lastModified = headers['last-modified'];
  if (lastModified !== undefined && lastModified !== '') validators.lastModified = clip(lastModified, CONTENT_LIMITS.lastModified);
  const version = context.json.parsed && isJsonObject(context.json.value) ? versionOf(context.json.value) : undefined;
  if (version !== undefined) validators.version = version;
  validators.bodyHash = bodyHashOf(context.response.body);
  return validators;
}

/** The first version-like field found at {@link VERSION_PATHS}: a non-empty string or a number. */
export function versionOf(document: JsonObject): string | undefined {
  for (const path of VERSION_PATHS) {
    let value: unknown = document;
    for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
    if (typeof value === 'string' && value.trim() !== '') return clip(value.trim(), CONTENT_LIMITS.version);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** Whether two sets of validators are the same copy (every field equal, absent included). */
export function sameValidators(a: ContentValidators, b: ContentValidators): boolean {
  return a.etag === b.etag && a.lastModified === b.lastModified && a.version === b.version && a.bodyHash === b.bodyHash;
}

export function clip(text: string, length: number): string {
  return text.length > length ? text.slice(0, length) : text;
}
