import { z } from 'zod';
import { regionCoverageSchema } from './agent';

/** The job counts an operator watches on a queue. */
export const queueCountsSchema = z.object({
  waiting: z.number().int().min(0),
  active: z.number().int().min(0),
  delayed: z.number().int().min(0),
  failed: z.number().int().min(0),
});

/** `GET /health` with a token: what this coordinator depends on, checked now. */
export const healthReportSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  reasons: z.array(z.string()).describe('Why the status is degraded, one line each.'),
  redis: z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), maxmemoryPolicy: z.string().nullable() }),
  queues: z
    .object({
      rounds: queueCountsSchema,
      roundDeadlines: queueCountsSchema,
      regions: z.record(z.string(), z.object({ checks: queueCountsSchema, results: queueCountsSchema })),
    })
    .nullable()
    .describe('`null` when Redis is unreachable.'),
  workers: z.record(z.string(), z.boolean()).describe("Whether each of this coordinator's workers is consuming."),
  agents: z.object({ blindRegions: z.array(z.string()), regions: z.record(z.string(), regionCoverageSchema) }).nullable(),
});
export type HealthReportView = z.output<typeof healthReportSchema>;

/** `GET /health` without a token: the status only, nothing about what is behind it. */
export const publicHealthReportSchema = healthReportSchema.pick({ status: true });

/**
 * `GET /health`: the whole report to a caller with a token of any scope, the status alone to
 * anyone else.
 */
export const healthSchema = z
  .union([healthReportSchema, publicHealthReportSchema])
  .describe('Without a token only `status`; with a token of any scope every field.');

/** `GET /v1/stats`: this coordinator's own figures since it started. */
export const statsSchema = z.object({
  rounds: z.object({
    started: z.number().int().min(0),
    skippedLate: z.number().int().min(0).describe('Rounds not started because the coordinator reached them after their deadline.'),
    skippedDeleted: z.number().int().min(0).describe('Round jobs of monitors deleted meanwhile.'),
    startLagMs: z
      .object({
        samples: z.number().int().min(0),
        last: z.number().nullable(),
        p50: z.number().nullable(),
        p95: z.number().nullable(),
        p99: z.number().nullable(),
        max: z.number().nullable(),
      })
      .describe("Start lag (ms between a round's scheduled time and its fan-out starting), over the last samples."),
  }),
  uptimeSeconds: z.number().int().min(0),
});
export type StatsView = z.output<typeof statsSchema>;

/** How re-sealing went for one store of secrets. */
export const storeResealReportSchema = z.object({
  resealed: z.number().int().min(0).describe('Written again: sealed under a previous key, or still in clear.'),
  failedCount: z.number().int().min(0),
  failed: z.array(z.object({ id: z.string(), reason: z.string() })).describe('The first of them (at most 100), with why.'),
});

/** `POST /v1/secrets/reseal`. */
export const resealReportSchema = z.object({ monitors: storeResealReportSchema });

/** `GET /metrics`: Prometheus' text exposition format, served as `text/plain; version=0.0.4`. */
export const metricsTextSchema = z.string().meta({ description: 'Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4; charset=utf-8`)' });
