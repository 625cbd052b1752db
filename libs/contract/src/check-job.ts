import { z } from 'zod';
import { CONTRACT_VERSION } from './contract-version';
import { regionNameSchema } from './region';

/**
 * One check: probe this monitor's spec from this region, before the deadline. The spec travels
 * as the user wrote it (validated by the coordinator); the agent compiles it, and a spec it
 * cannot compile makes the job malformed, not the target down.
 */
export const checkJobSchema = z
  .object({
    v: z.literal(CONTRACT_VERSION),
    monitorId: z.string().min(1).max(64),
    roundId: z.string().min(1).max(128),
    region: regionNameSchema,
    /** When the round was scheduled (epoch ms). */
    scheduledAt: z.number().int().positive(),
    /**
     * After this (epoch ms) the result is no longer wanted: an agent drops the job unprobed, and the
     * coordinator withdraws it from the queue if no agent has taken it (so a region without agents
     * never builds a backlog).
     */
    deadline: z.number().int().positive(),
    spec: z.record(z.string(), z.unknown()),
    /** Validators from the region's previous observation, for conditional requests. */
    previous: z.object({ etag: z.string().max(1024).optional(), lastModified: z.string().max(256).optional() }).strict().optional(),
  })
  .strict();

export type CheckJob = z.infer<typeof checkJobSchema>;

/** BullMQ job name of a check. */
export const CHECK_JOB_NAME = 'check';
