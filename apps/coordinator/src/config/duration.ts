/** Milliseconds per unit of a duration written in the environment (`500ms`, `5s`, `5m`, `2h`, `1d`). */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Reads a duration such as `5s`, `30m`, `2h`, `1.5d` or `250ms` into milliseconds (rounded).
 * A bare number is refused unless it is `0`: "5" could mean seconds or milliseconds, and a wrong
 * guess is a retry schedule 1,000 times off. Returns the reason as a string when it cannot.
 */
export function parseDuration(text: string): number | string {
  const trimmed = text.trim();
  if (/^0+$/.test(trimmed)) return 0;
  const match = DURATION.exec(trimmed);
  if (!match) return `"${trimmed}" is not a duration (a number with a unit: ms, s, m, h or d, e.g. 5s, 30m, 2h)`;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** Writes milliseconds back as the shortest exact duration (`300000` -> `5m`), for messages and docs. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const [unit, size] of [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
