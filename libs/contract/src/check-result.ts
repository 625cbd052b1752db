import { CAUSE_CODES } from '@crosscheck/checks';
import { z } from 'zod';
import { CONTRACT_VERSION } from './contract-version';
import { regionNameSchema } from './region';

const evidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

const causeSchema = z.object({
  code: z.enum(CAUSE_CODES),
  severity: z.enum(['down', 'degraded', 'info']),
  message: z.string(),
  evidence: z.record(z.string(), evidenceValue.optional()),
});

const verdictSchema = z.object({
  status: z.enum(['up', 'degraded', 'down']),
  causes: z.array(causeSchema),
  expectations: z.array(
    z.object({ kind: z.string(), passed: z.boolean().nullable(), description: z.string(), expected: z.string(), actual: z.string().nullable() }),
  ),
  evidence: z.object({
    httpStatus: z.number().int().nullable(),
    finalUrl: z.string(),
    totalMs: z.number(),
    redirects: z.number().int(),
    cache: z.object({ hit: z.boolean(), ageSeconds: z.number().optional(), signals: z.array(z.string()) }),
    bypassStatus: z.number().int().nullable().optional(),
    errorPageVendor: z.string().optional(),
    probeError: z.string().optional(),
  }),
});

/** The facts of an observation worth keeping in history; the body is not (it was judged at the agent). */
const observationSummarySchema = z.object({
  url: z.string(),
  finalUrl: z.string(),
  remoteAddress: z.string().optional(),
  timings: z.object({
    dns: z.number().optional(),
    connect: z.number().optional(),
    tls: z.number().optional(),
    firstByte: z.number().optional(),
    total: z.number(),
  }),
  /** Response headers that matter for judging later: cache, server, validators. */
  headers: z.record(z.string(), z.string()),
  tlsDaysRemaining: z.number().optional(),
  /** Validators to send next time, when the monitor makes conditional requests. */
  validators: z.object({ etag: z.string().optional(), lastModified: z.string().optional() }).optional(),
});

/** What an agent sends back for one check job. */
export const checkResultSchema = z
  .object({
    v: z.literal(CONTRACT_VERSION),
    monitorId: z.string().min(1),
    roundId: z.string().min(1),
    region: regionNameSchema,
    agentId: z.string().min(1).max(128),
    agentVersion: z.string().max(64),
    startedAt: z.number().int(),
    finishedAt: z.number().int(),
    verdict: verdictSchema,
    observation: observationSummarySchema,
  })
  .strict();

export type CheckResult = z.infer<typeof checkResultSchema>;
export type ObservationSummary = z.infer<typeof observationSummarySchema>;

/** BullMQ job name of a result. */
export const RESULT_JOB_NAME = 'result';
