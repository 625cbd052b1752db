import type { RegionCoverage } from '../agents/agent';
import type { QueueCounts } from '../regions/queue-counts';

/** `GET /health`: what this coordinator depends on, checked now. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  /** Why the status is degraded, one line each. */
  reasons: string[];
  redis: { ok: boolean; latencyMs: number | null; maxmemoryPolicy: string | null };
  /** `null` when Redis is unreachable. */
  queues: {
    rounds: QueueCounts;
    roundDeadlines: QueueCounts;
    regions: Record<string, { checks: QueueCounts; results: QueueCounts }>;
  } | null;
  /** Whether each of this coordinator's workers is consuming. */
  workers: Record<string, boolean>;
  agents: { blindRegions: string[]; regions: Record<string, RegionCoverage> } | null;
}

/** `GET /health` to a caller without a token: the status only, nothing about what is behind it. */
export type PublicHealthReport = Pick<HealthReport, 'status'>;
