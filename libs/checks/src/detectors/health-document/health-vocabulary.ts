import type { HealthState } from './health-report';

/*
 * The status words health endpoints use, normalised (lower case, spaces and hyphens as `_`).
 * `success` is deliberately absent: it is JSend's envelope word, and an API answering
 * `{"status": "success", "data": …}` is not describing its own health.
 */
const WORDS: ReadonlyMap<string, HealthState> = new Map<string, HealthState>([
  ...entries('pass', [
    'ok', 'okay', 'up', 'pass', 'passed', 'passing', 'healthy', 'green', 'good', 'available', 'online',
    'operational', 'running', 'serving', 'alive', 'ready', 'connected', 'reachable', 'normal',
  ]),
  ...entries('warn', ['warn', 'warning', 'degraded', 'yellow', 'partial', 'partially_available', 'slow', 'unstable']),
  ...entries('fail', [
    'fail', 'failed', 'failing', 'failure', 'error', 'errored', 'down', 'unhealthy', 'red', 'critical', 'out_of_service',
    'unavailable', 'offline', 'not_serving', 'dead', 'disconnected', 'not_connected', 'unreachable', 'timeout',
    'timed_out', 'shutting_down', 'not_ready', 'major_outage', 'broken',
  ]),
  ...entries('unknown', ['unknown']),
]);

function entries(state: HealthState, words: readonly string[]): Array<[string, HealthState]> {
  return words.map((word) => [word, state]);
}

const SEPARATORS = /[\s-]+/g;

/** What a status word means (`DOWN` → `fail`, `Degraded` → `warn`); `undefined` for words outside the vocabulary. */
export function healthStateOf(word: string): HealthState | undefined {
  if (word.length === 0 || word.length > 32) return undefined;
  // Documents repeat the same few words on every check: remember what each spelling meant.
  const known = SEEN.get(word);
  if (known !== undefined) return known ?? undefined;
  const state = WORDS.get(word.trim().toLowerCase().replace(SEPARATORS, '_'));
  if (SEEN.size >= SEEN_MAX) SEEN.clear();
  SEEN.set(word, state ?? null);
  return state;
}

const SEEN = new Map<string, HealthState | null>();
const SEEN_MAX = 4096;

/** Boolean field names that carry a dependency's state: `dbConnected`, `redis_healthy`, `cacheUp`. */
const BOOLEAN_STATE_SUFFIX = /.(?:connected|healthy|ok|up|alive|available|reachable|ready|online)$/i;

/** `true` → pass, `false` → fail, for a field whose name says what the boolean means. */
export function booleanStateOf(name: string, value: boolean): HealthState | undefined {
  return BOOLEAN_STATE_SUFFIX.test(name) ? (value ? 'pass' : 'fail') : undefined;
}

const RANK: Record<HealthState, number> = { unknown: 0, pass: 1, warn: 2, fail: 3 };

/** The worse of two states; `unknown` never outranks a known one (as Spring's aggregator ignores it). */
export function worstState(a: HealthState | undefined, b: HealthState | undefined): HealthState | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[b] > RANK[a] ? b : a;
}
