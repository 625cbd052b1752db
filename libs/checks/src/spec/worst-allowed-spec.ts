import type { MonitorSpecInput } from './monitor-spec.schema';
import {
  MAX_ASSERTED_BODY_BYTES,
  MAX_BODY_ASSERTIONS,
  MAX_HEADER_ASSERTIONS,
  MAX_JSON_ASSERTIONS,
  MAX_PATTERN_LENGTH,
} from './spec-limits';

/**
 * A regular expression as costly to run as the budget lets 32 of them be: no literal a prefilter
 * could skip to, case-insensitive classes, bounded repetitions and alternatives, up to
 * {@link MAX_PATTERN_LENGTH} characters. `index` makes each one different.
 */
export function costlyPattern(index: number, maxLength = MAX_PATTERN_LENGTH): string {
  const words = ['err(?:or)?', 'fail(?:ed|ure)?', 'exception', 'fatal', 'panic', 'time(?:d ?)?out', 'unavailable', 'refused', 'denied'];
  let source = '(?i)';
  for (let k = 0; ; k++) {
    const word = words[(index + k) % words.length] ?? 'error';
    const alternative = `(?:[a-z]{2,6}\\s){1,2}${word}[^<]{0,6}(?:code|status)\\W{0,2}[45]\\d\\d${index % 10}`;
    const next = `${source}${k > 0 ? '|' : ''}${alternative}`;
    if (next.length > maxLength) return source;
    source = next;
  }
}

/**
 * The most expensive monitor spec the budget allows, for benchmarks and budget tests: every
 * assertion list full, every pattern and value as long as allowed and none of them met by an
 * ordinary page, so each is evaluated in full and fails with the longest evidence. Its regular
 * expressions fill the monitor's program-size budget; `maxBodyBytes` is the largest a monitor
 * with body assertions may read.
 */
export function worstAllowedSpecInput(url: string): MonitorSpecInput {
  const half = MAX_BODY_ASSERTIONS / 2;
  return {
    url,
    maxBodyBytes: MAX_ASSERTED_BODY_BYTES,
    expect: {
      body: {
        matches: Array.from({ length: half }, (_, i) => costlyPattern(i, 360)),
        notMatches: Array.from({ length: half }, (_, i) => costlyPattern(half + i, 360)),
      },
      json: Array.from({ length: MAX_JSON_ASSERTIONS }, (_, i) => {
        const path = i % 4 === 0 ? '$' : `$.items[${i}].${'n'.repeat(MAX_PATTERN_LENGTH - 20)}`;
        switch (i % 4) {
          case 0:
            return { path, op: 'exists' as const };
          case 1:
            return { path: `$.items[-${i}].name`, op: 'matches' as const, value: costlyPattern(i, 120) };
          case 2:
            return { path: `$.items[${i}].tags`, op: 'contains' as const, value: 'v'.repeat(MAX_PATTERN_LENGTH) };
          default:
            return { path, op: 'equals' as const, value: 'v'.repeat(MAX_PATTERN_LENGTH) };
        }
      }),
      headers: Array.from({ length: MAX_HEADER_ASSERTIONS }, (_, i) =>
        i % 2 === 0
          ? { name: i % 4 === 0 ? 'x-padding' : `x-expected-${i}`, op: 'matches' as const, value: costlyPattern(i, 120) }
          : { name: i % 3 === 0 ? 'x-padding' : 'server', op: 'contains' as const, value: `${i}`.padEnd(MAX_PATTERN_LENGTH, 'h') },
      ),
    },
  };
}
