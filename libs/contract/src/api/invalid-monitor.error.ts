import type { FieldIssue } from './field-issue';

/** A monitor body that does not validate; `issues` name every field at fault. The API answers it with 400. */
export class InvalidMonitorError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid monitor: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidMonitorError';
  }
}
