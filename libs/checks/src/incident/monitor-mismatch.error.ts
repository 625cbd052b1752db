/** A round of one monitor was applied to another monitor's incident state: a caller bug, never retried. */
export class MonitorMismatchError extends Error {
  constructor(
    readonly stateMonitorId: string,
    readonly roundMonitorId: string,
  ) {
    super(`incident state belongs to monitor ${stateMonitorId}, but the round is of monitor ${roundMonitorId}`);
    this.name = 'MonitorMismatchError';
  }
}
