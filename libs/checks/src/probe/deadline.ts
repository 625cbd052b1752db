/**
 * The one overall deadline of a probe: DNS through the last byte of the last hop, for the primary
 * and the bypass request alike. Every waiting step races it, so no single slow phase (a DNS
 * lookup that cannot be cancelled, a server that drips one byte at a time) can stretch a check.
 *
 * The probe's own steps subscribe with {@link onExpire}: a plain callback set, where an
 * `AbortSignal` listener costs an `EventTarget` dispatch path per step (about 3 % of an agent's
 * CPU per check with one listener per phase). The signal is made only for whoever asks for it.
 */
export class Deadline {
  private readonly timer: NodeJS.Timeout;
  private readonly listeners = new Set<(reason: DeadlineExceeded) => void>();
  private controller: AbortController | undefined;
  private reason: DeadlineExceeded | undefined;

  constructor(readonly timeoutMs: number) {
    this.timer = setTimeout(() => this.expire(), timeoutMs);
  }

  /** Aborts when the deadline passes; for APIs that take a signal (the probe's own steps use {@link onExpire}). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.reason !== undefined;
  }

  /**
   * Calls `listener` once when the deadline passes (at once if it has). Returns the function that
   * unsubscribes it; call it when the step is over.
   */
  onExpire(listener: (reason: DeadlineExceeded) => void): () => void {
    if (this.reason) {
      listener(this.reason);
      return noop;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Settles like `work`, or rejects with {@link DeadlineExceeded} when the deadline passes first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.reason) {
      // The work may still reject later; nobody is listening any more.
      work.catch(() => undefined);
      return Promise.reject(this.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const listeners = this.listeners;
      listeners.add(reject);
      work.then(
        (value) => {
          listeners.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          listeners.delete(reject);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Stops the timer; the probe calls it once every request has settled. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    const reason = new DeadlineExceeded(this.timeoutMs);
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener(reason);
  }
}

function noop(): void {
  // Nothing to unsubscribe: the listener was called at once.
}

/** The reason the deadline's signal carries. */
export class DeadlineExceeded extends Error {
  readonly code = 'CROSSCHECK_DEADLINE';

  constructor(timeoutMs: number) {
    super(`deadline of ${timeoutMs} ms exceeded`);
    this.name = 'DeadlineExceeded';
  }
}
