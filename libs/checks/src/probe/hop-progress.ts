import type { CertificateFacts, PhaseTimings, ProbePhase } from '../observation/observation';

/**
 * What is known about one hop while it runs. Mutable on purpose: when a hop fails (or the deadline
 * passes) mid-way, the phase it was in, the address it reached and the certificate it saw are
 * exactly what the observation must still report.
 */
export interface HopProgress {
  phase: ProbePhase;
  /** The address resolved for this hop (connected to only when `connected`). */
  address?: string;
  connected: boolean;
  timings: Omit<PhaseTimings, 'total'>;
  certificate?: CertificateFacts;
}

export function startHop(): HopProgress {
  return { phase: 'dns', connected: false, timings: {} };
}

/** Milliseconds since `start` (a `performance.now()` reading), rounded to 0.1 ms. */
export function elapsedSince(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
