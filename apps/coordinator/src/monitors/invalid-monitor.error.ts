import type { SpecIssue } from '@crosscheck/checks';

/** A monitor body that does not validate; `issues` name every field at fault. Answered with 400. */
export class InvalidMonitorError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid monitor: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidMonitorError';
  }
}
