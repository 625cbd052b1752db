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
/**
 * How rarely live content may be taken for frozen: the chance, per round, that a validator
 * advancing at its learned rate repeats for as many rounds as the call needs. One in a million
 * rounds is once in about a year of 30-second rounds, per monitor and region.
 */
export const FALSE_FREEZE_PER_ROUND = 1e-6;

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
 * now repeat the last round's value for as many rounds as live content would repeat only by a
 * rare chance ({@link requiredFrozenRounds}, never fewer than `frozenAfterRounds`). That is a
 * cache answering for an origin it no longer reaches, even when it exposes no cache header and
 * keys on the path only: `stale_cache` with `evidence.frozen: true`.
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
  const frozen: { name: ValidatorName; value: string; history: ValidatorHistory; required: number }[] = [];
  for (const name of PER_ROUND) {
    const value = input.validators[name];
    const history = baseline.validators[name];
    if (value === undefined || history === undefined || value !== last.validators[name]) continue;
    const advanced = advanceOf(history, last.unchangedRounds);
    if (advanced.pairs < MIN_PAIRS || advanced.changes < MIN_ADVANCE_RATE * advanced.pairs) continue;
    const required = requiredFrozenRounds(advanced, options.frozenAfterRounds);
    if (frozenRounds >= required) frozen.push({ name, value, history: advanced, required });
  }
  if (frozen.length === 0) return [];

  const bypassResponse = input.bypass && !input.bypass.error ? input.bypass.response : undefined;
  const bodyAdvanced = frozen.some((f) => f.name === 'bodyHash');
  const sameCopy = bypassResponse !== undefined && bodyAdvanced && bypassResponse.body === input.response.body;
  const cached = input.cache.hit || input.cache.intermediary;
  // The validator whose repeats are least likely by chance tells the story.
  const lead = frozen.reduce((a, b) => (b.required < a.required || (b.required === a.required && b.history.pairs > a.history.pairs) ? b : a));
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
      message: `content frozen for ${frozenRounds} rounds: the ${joinWords(names)} advanced on ${lead.history.changes} of ${lead.history.pairs} healthy rounds and stopped (live content repeats ${lead.required} rounds in a row less than once in a million rounds); ${because}`,
      evidence: {
        frozen: true,
        frozenRounds,
        requiredRounds: lead.required,
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

/**
 * The rounds of repeats that make a validator frozen: the fewest `k` for which content advancing
 * at its learned rate repeats `k` rounds in a row with a chance under {@link FALSE_FREEZE_PER_ROUND},
 * and at least `floor` (`frozenAfterRounds`). The chance of a repeat is taken as
 * `(unchanged + 1) / (pairs + 1)`, as if one more healthy round had repeated: never zero, so a
 * short history asks for more rounds than a long one (9 of 9 changed: 6 rounds; 999 of 999: the
 * floor), and content that repeats now and then asks for more still (80 % changed: about 9).
 */
export function requiredFrozenRounds(history: ValidatorHistory, floor: number): number {
  const repeat = (history.pairs - history.changes + 1) / (history.pairs + 1);
  // The 1e-9 keeps a ratio that is a whole number in exact arithmetic (0.1^6 = 1e-6) from rounding up.
  const rounds = Math.ceil(Math.log(FALSE_FREEZE_PER_ROUND) / Math.log(repeat) - 1e-9);
  return Math.max(floor, rounds);
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
