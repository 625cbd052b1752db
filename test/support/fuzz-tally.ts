/**
 * What a fuzz run sent and what came back: counts by status class and by status, the answers that
 * break the rule (a 5xx, a hang, a 4xx that is not a problem document), each with the request
 * that caused it, and the fuzz seed, so a failure can be reproduced.
 */

/** How one request ended. */
export type FuzzOutcome =
  | { kind: 'status'; status: number }
  /** The server closed the connection without an answer. */
  | { kind: 'closed' }
  /** No answer, and no close, within the client's deadline. */
  | { kind: 'hang' };

/** A request whose answer breaks the rule, as it will be printed. */
export interface FuzzViolation {
  rule: string;
  request: string;
  answer: string;
}

/** The seed of a fuzz run: `FUZZ_SEED` when set (to reproduce a failure), else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = process.env['FUZZ_SEED'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** `FUZZ_RUNS` scales every property's number of runs (default 1; e.g. 10 for a long local run). */
export function fuzzRunsScale(): number {
  const fromEnv = process.env['FUZZ_RUNS'];
  if (fromEnv === undefined || fromEnv === '') return 1;
  const scale = Number(fromEnv);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`FUZZ_RUNS must be a positive number, got ${JSON.stringify(fromEnv)}`);
  return scale;
}

export class FuzzTally {
  private readonly statuses = new Map<number, number>();
  private closedCount = 0;
  private hangCount = 0;
  private honestCount = 0;
  private readonly found: FuzzViolation[] = [];

  constructor(readonly name: string, readonly seed: number) {}

  /** Counts one request's outcome. */
  record(outcome: FuzzOutcome): void {
    if (outcome.kind === 'status') this.statuses.set(outcome.status, (this.statuses.get(outcome.status) ?? 0) + 1);
    else if (outcome.kind === 'closed') this.closedCount += 1;
    else this.hangCount += 1;
  }

  /** Counts a 503 that is allowed: Redis away (with Retry-After), or `/health` reporting degraded. */
  honest503(): void {
    this.honestCount += 1;
  }

  get honest503s(): number {
    return this.honestCount;
  }

  /** Keeps a request whose answer breaks the rule (the first 50 are kept in full). */
  violation(violation: FuzzViolation): void {
    if (this.found.length < 50) this.found.push({ ...violation, request: clip(violation.request, 600), answer: clip(violation.answer, 600) });
    else this.found.push({ rule: violation.rule, request: '(not kept)', answer: '' });
  }

  get violations(): readonly FuzzViolation[] {
    return this.found;
  }

  /** Requests sent (every outcome counted). */
  get sent(): number {
    let total = this.closedCount + this.hangCount;
    for (const count of this.statuses.values()) total += count;
    return total;
  }

  /** Answers with a status in `[from, to)`. */
  count(from: number, to: number): number {
    let total = 0;
    for (const [status, count] of this.statuses) if (status >= from && status < to) total += count;
    return total;
  }

  countOf(status: number): number {
    return this.statuses.get(status) ?? 0;
  }

  get closed(): number {
    return this.closedCount;
  }

  get hangs(): number {
    return this.hangCount;
  }

  /** One paragraph for the test log: totals by class, then every status seen. */
  summary(): string {
    const byStatus = [...this.statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    return [
      `${this.name} (seed ${this.seed}; FUZZ_SEED=${this.seed} reproduces the inputs): ${this.sent} requests`,
      `  2xx ${this.count(200, 300)}, 3xx ${this.count(300, 400)}, 4xx ${this.count(400, 500)}, ` +
        `5xx ${this.count(500, 600)} (honest 503s: ${this.honestCount}, other 5xx: ${this.count(500, 600) - this.honestCount}), ` +
        `closed without an answer ${this.closedCount}, hung ${this.hangCount}`,
      `  by status: ${byStatus.join(', ') || 'none'}`,
      ...(this.found.length > 0 ? [`  violations: ${this.found.length}`, ...this.found.slice(0, 10).map((v) => `    [${v.rule}] ${v.request}\n      -> ${v.answer}`)] : []),
    ].join('\n');
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
