import { baselineSchema, CAUSE_CODES, contentFingerprintSchema, contentValidatorsSchema, FRESHNESS_STATES } from '@crosscheck/checks';
import { z } from 'zod';
import { SUPPORTED_CONTRACT_VERSIONS } from './contract-version';
import { regionNameSchema } from './region';

/**
 * What the coordinator accepts from an agent, at most: every string and list of a result is
 * bounded, and so is the whole. A result over these is malformed (failed once, never stored).
 * The bounds are far above what an agent writes for the largest spec the budget allows (about
 * 100 expectations, 1.3 KiB each at most), so only a broken or hostile agent meets them.
 */
export const RESULT_WIRE_LIMITS = {
  /** Characters of a message, description, expected or actual value, or evidence string. */
  text: 8 * 1024,
  /** Characters of a URL (the target may redirect anywhere). */
  url: 16 * 1024,
  /** Causes of one verdict. */
  causes: 256,
  /** Expectation results of one verdict (a spec has at most 98). */
  expectations: 128,
  /** Fields of one cause's evidence. */
  evidenceFields: 32,
  /** Items of a list in evidence (a redirect chain, cache signals). */
  listItems: 64,
  /** Response headers kept in an observation summary. */
  headers: 32,
  /** Bytes of the whole result as JSON. */
  jsonBytes: 1024 * 1024,
} as const;

const text = () => z.string().max(RESULT_WIRE_LIMITS.text);
const url = () => z.string().max(RESULT_WIRE_LIMITS.url);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(RESULT_WIRE_LIMITS.listItems);

const evidenceValue = z.union([text(), z.number(), z.boolean(), z.null(), list(text())]);

const causeSchema = z.object({
  code: z.enum(CAUSE_CODES),
  severity: z.enum(['down', 'degraded', 'info']),
  message: text(),
  evidence: z
    .record(z.string().max(64), evidenceValue.optional())
    .refine((evidence) => Object.keys(evidence).length <= RESULT_WIRE_LIMITS.evidenceFields, `at most ${RESULT_WIRE_LIMITS.evidenceFields} fields`),
});

const expectationResultSchema = z.object({
  kind: z.string().max(64),
  passed: z.boolean().nullable(),
  description: text(),
  expected: text(),
  actual: text().nullable(),
});

const verdictSchema = z.object({
  status: z.enum(['up', 'degraded', 'down']),
  causes: z.array(causeSchema).max(RESULT_WIRE_LIMITS.causes),
  expectations: z.array(expectationResultSchema).max(RESULT_WIRE_LIMITS.expectations),
  evidence: z.object({
    httpStatus: z.number().int().nullable(),
    finalUrl: url(),
    totalMs: z.number(),
    redirects: z.number().int(),
    cache: z.object({
      hit: z.boolean(),
      ageSeconds: z.number().optional(),
      signals: list(text()),
      freshness: z
        .object({ lifetimeSeconds: z.number().nonnegative().nullable(), ageSeconds: z.number().nonnegative(), state: z.enum(FRESHNESS_STATES) })
        .optional(),
    }),
    bypassStatus: z.number().int().nullable().optional(),
    errorPageVendor: text().optional(),
    probeError: z.string().max(64).optional(),
    /** The primary response's validators (bounded by the checks library's own schema). */
    content: contentValidatorsSchema.optional(),
    protocol: z.string().max(16).optional(),
    /** Per-address results of a name with several addresses (the probe checks 8 at most). */
    addresses: z
      .array(
        z.object({
          address: z.string().max(64),
          family: z.union([z.literal(4), z.literal(6)]),
          ok: z.boolean(),
          httpStatus: z.number().int().nullable(),
          error: z.string().max(64).nullable(),
          totalMs: z.number(),
        }),
      )
      .max(8)
      .optional(),
  }),
});

/** The facts of an observation worth keeping in history; the body is not (it was judged at the agent). */
export const observationSummarySchema = z.object({
  url: url(),
  finalUrl: url(),
  remoteAddress: z.string().max(64).optional(),
  timings: z.object({
    dns: z.number().optional(),
    connect: z.number().optional(),
    tls: z.number().optional(),
    firstByte: z.number().optional(),
    total: z.number(),
  }),
  /** Response headers that matter for judging later: cache, server, validators. */
  headers: z
    .record(z.string().max(256), text())
    .refine((headers) => Object.keys(headers).length <= RESULT_WIRE_LIMITS.headers, `at most ${RESULT_WIRE_LIMITS.headers} headers`),
  tlsDaysRemaining: z.number().optional(),
  /** Validators to send next time, when the monitor makes conditional requests. */
  validators: z.object({ etag: z.string().max(1024).optional(), lastModified: z.string().max(256).optional() }).optional(),
  /** The hash of the spec the round's baseline was learned under (`specHashOf`), when the monitor learns one. */
  specHash: z.string().max(128).optional(),
  /** The primary response's content fingerprint, which the coordinator's baseline learns from. */
  fingerprint: contentFingerprintSchema.optional(),
});

/** What an agent sends back for one check job. */
export const checkResultSchema = z
  .object({
    /** The version of the check job it answers. */
    v: z.literal(SUPPORTED_CONTRACT_VERSIONS),
    monitorId: z.string().min(1).max(64),
    roundId: z.string().min(1).max(128),
    region: regionNameSchema,
    agentId: z.string().min(1).max(128),
    agentVersion: z.string().max(64),
    startedAt: z.number().int(),
    finishedAt: z.number().int(),
    verdict: verdictSchema,
    observation: observationSummarySchema,
    /**
     * The region's baseline after this round (learned at the agent from the job's `baseline` and this
     * response), sent only when the job carried a `baseline` field: a coordinator that sends none may
     * not know the field.
     */
    baseline: baselineSchema.optional(),
  })
  .strict()
  // Each part is bounded; the whole is too, so the sum of many parts at their bounds is refused.
  .refine((result) => Buffer.byteLength(JSON.stringify(result)) <= RESULT_WIRE_LIMITS.jsonBytes, {
    message: `a result is at most ${RESULT_WIRE_LIMITS.jsonBytes} bytes of JSON`,
  });

export type CheckResult = z.infer<typeof checkResultSchema>;
export type ObservationSummary = z.infer<typeof observationSummarySchema>;

/** BullMQ job name of one result (contract v1: the answer to a v1 check job). */
export const RESULT_JOB_NAME = 'result';

/** BullMQ job name of a batch of results (contract v2: the answer to v2 check jobs). */
export const RESULT_BATCH_JOB_NAME = 'results';

/** Results in one batch at most: a batch is bounded like a result (by count here, each result by {@link RESULT_WIRE_LIMITS}). */
export const RESULT_BATCH_MAX = 64;

/**
 * A batch of results, as an agent sends the answers of v2 check jobs that finished close
 * together: one BullMQ job (one add, one take, one completion) for several checks. Each result is
 * parsed on its own where it arrives, so a malformed one is refused alone and the others are stored.
 */
export const resultBatchSchema = z
  .object({
    v: z.literal(2),
    results: z.array(z.unknown()).min(1).max(RESULT_BATCH_MAX),
  })
  .strict();
export type ResultBatch = z.infer<typeof resultBatchSchema>;
