import type { HealthReportView } from '@crosscheck/contract';

/** `GET /health`: what this coordinator depends on, checked now (`healthReportSchema` of `@crosscheck/contract`). */
export type HealthReport = HealthReportView;

/** `GET /health` to a caller without a token: the status only, nothing about what is behind it. */
export type PublicHealthReport = Pick<HealthReport, 'status'>;
