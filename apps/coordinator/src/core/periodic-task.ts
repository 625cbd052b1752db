/**
 * A background pass that runs every `everyMs` and on demand, never two at once: a pass asked for
 * while one runs is skipped (the running one serves it). `stop()` waits for the pass under way.
 * For the coordinator's housekeeping (reconciling schedules, sweeping expired checks, finishing
 * deletions); the pass handles and logs its own errors.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  /** Starts the timer (the process does not wait for it to exit). */
  start(): void {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  /** Runs a pass now, unless one is under way or the task is stopped. */
  async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
