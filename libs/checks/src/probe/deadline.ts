/**
 * The one overall deadline of a probe: DNS through the last byte of the last hop, for the primary
 * and the bypass request alike. Every waiting step races it, so no single slow phase (a DNS
 * lookup that cannot be cancelled, a server that drips one byte at a time) can stretch a check.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.timer = setTimeout(() => {
      this.controller.abort(new DeadlineExceeded(timeoutMs));
    }, timeoutMs);
  }

  /** Aborts when the deadline passes; hand it to everything that accepts a signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Settles like `work`, or rejects with {@link DeadlineExceeded} when the deadline passes first. */
  race<T>(work: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      // The work may still reject later; nobody is listening any more.
      work.catch(() => undefined);
      return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Stops the timer; the probe calls it once every request has settled. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The reason the deadline's signal carries. */
export class DeadlineExceeded extends Error {
  readonly code = 'CROSSCHECK_DEADLINE';

  constructor(timeoutMs: number) {
    super(`deadline of ${timeoutMs} ms exceeded`);
    this.name = 'DeadlineExceeded';
  }
}
