import type { CacheReading } from '../detectors/cache/cache-evidence';
import type { RequestOutcome, ResponseFacts } from '../observation/observation';
import type { Cause } from '../verdict/verdict';
import type { Baseline, BaselineOptions, ValidatorHistory } from './baseline';
import type { ContentValidators, ValidatorName } from './content-validators';

/** The validators that advance per round on live content; a version advances per release, so it is not one. */
const PER_ROUND: readonly ValidatorName[] = ['bodyHash', 'etag', 'lastModified'];
/** Healthy round pairs needed before a validator counts as advancing. */
const MIN_PAIRS = 3;
/** Share of healthy round pairs in which it must have changed. */
const MIN_ADVANCE_RATE = 0.8;

const WORDS: Record<ValidatorName, string> = { bodyHash: 'body hash', etag: 'ETag', lastModified: 'Last-Modified', version: 'version' };

/** What is known about the round beside its own validators. */
export interface FrozenContentInput {
  validators: ContentValidators;
  /** The primary response, to compare with the bypass's. */
  response: ResponseFacts;
  /** The cache-bypassing request, when one was made. */
  bypass?: RequestOutcome;
  cache: CacheReading;
}

/**
 * Content that stopped advancing: validators that changed on (nearly) every healthy round and
 * now repeat the last round's value for `frozenAfterRounds` rounds or more. That is a cache
 * answering for an origin it no longer reaches, even when it exposes no cache header and keys
 * on the path only: `stale_cache` with `evidence.frozen: true`.
 *
 * Down when the answer shows it came from something that did not ask the origin: the
 * cache-bypassing request got a byte-identical body although the body used to change every
 * round, or the headers show a cache or proxy in the path. Degraded otherwise (the origin may
 * itself have stopped updating; someone should look).
 *
 * The unchanged rounds at the end of the history were learned as healthy pairs without a change
 * before the freeze was called; they are left out of the advance rate, or a freeze would hide
 * itself as it went on.
 */
export function judgeFrozenContent(input: FrozenContentInput, baseline: Baseline, options: BaselineOptions): Cause[] {
  const last = baseline.last;
  const frozenRounds = last.unchangedRounds + 1;
  if (frozenRounds < options.frozenAfterRounds) return [];
  const frozen: { name: ValidatorName; value: string; history: ValidatorHistory }[] = [];
  for (const name of PER_ROUND) {
    const value = input.validators[name];
    const history = baseline.validators[name];
    if (value === undefined || history === undefined || value !== last.validators[name]) continue;
    const advanced = advanceOf(history, last.unchangedRounds);
    if (advanced.pairs >= MIN_PAIRS && advanced.changes >= MIN_ADVANCE_RATE * advanced.pairs) frozen.push({ name, value, history: advanced });
  }
  if (frozen.length === 0) return [];

  const bypassResponse = input.bypass && !input.bypass.error ? input.bypass.response : undefined;
  const bodyAdvanced = frozen.some((f) => f.name === 'bodyHash');
  const sameCopy = bypassResponse !== undefined && bodyAdvanced && bypassResponse.body === input.response.body;
  const cached = input.cache.hit || input.cache.intermediary;
  const lead = frozen.reduce((a, b) => (b.history.pairs > a.history.pairs ? b : a));
  const names = frozen.map((f) => WORDS[f.name]);
  const because = sameCopy
    ? 'the cache-bypassing request got the same copy, so a cache is answering for the origin'
    : cached
      ? `the answer came through a cache or proxy (${input.cache.signals.slice(0, 3).join('; ')}), which is answering for the origin`
      : bypassResponse !== undefined
        ? 'the cache-bypassing request got another copy, so something between users and the origin keeps serving an old one'
        : 'no cache-bypassing request was made and no header names a cache, so the origin may have stopped updating';
  return [
    {
      code: 'stale_cache',
      severity: sameCopy || cached ? 'down' : 'degraded',
      message: `content frozen for ${frozenRounds} rounds: the ${joinWords(names)} advanced on ${lead.history.changes} of ${lead.history.pairs} healthy rounds and stopped; ${because}`,
      evidence: {
        frozen: true,
        frozenRounds,
        validators: frozen.map((f) => f.name),
        values: frozen.map((f) => `${f.name}: ${f.value}`),
        advancedRounds: lead.history.changes,
        healthyRounds: lead.history.pairs,
        bypassSameBody: bypassResponse === undefined ? null : bypassResponse.body === input.response.body,
        bypassStatus: input.bypass ? (input.bypass.response?.status ?? null) : null,
        cacheHit: input.cache.hit,
        intermediary: input.cache.intermediary,
        signals: input.cache.signals,
      },
    },
  ];
}

/** The history without the unchanged pairs the current streak may have added to it. */
function advanceOf(history: ValidatorHistory, unchangedRounds: number): ValidatorHistory {
  const streak = Math.min(unchangedRounds, history.pairs - history.changes);
  return { pairs: history.pairs - streak, changes: history.changes };
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}
