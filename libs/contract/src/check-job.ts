import { z } from 'zod';
import { SUPPORTED_CONTRACT_VERSIONS } from './contract-version';
import { regionNameSchema } from './region';

/**
 * One check: probe this monitor's spec from this region, before the deadline. The spec travels
 * as the user wrote it (validated by the coordinator); the agent compiles it, and a spec it
 * cannot compile makes the job malformed, not the target down.
 */
export const checkJobSchema = z
  .object({
    /** The contract version the job is written in; its result is answered in the same one. */
    v: z.literal(SUPPORTED_CONTRACT_VERSIONS),
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
    /**
     * The region's learned healthy baseline (see `Baseline` in `@crosscheck/checks`), or `null` when
     * nothing is learned yet. Present only when the monitor learns a baseline; its presence also tells
     * the agent that the coordinator takes the next baseline in the result. It travels unchecked here,
     * like the spec: the agent validates it and, when it does not parse, evaluates without it (a broken
     * baseline must not fail a check).
     */
    baseline: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .strict();

export type CheckJob = z.infer<typeof checkJobSchema>;

/** BullMQ job name of a check. */
export const CHECK_JOB_NAME = 'check';

const CHECK_JOB_KEYS = new Set(['v', 'monitorId', 'roundId', 'region', 'scheduledAt', 'deadline', 'spec', 'previous', 'baseline']);
const REGION_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Parses a check job as {@link checkJobSchema} does, for a fraction of the CPU: an agent parses one
 * per check, thousands a second. The common case (a well-formed job as the coordinator writes it)
 * is checked by hand and the payload returned as is; anything the hand check does not accept at
 * once (a malformed job, or a shape it leaves to zod) goes through the schema, which decides and
 * names what is wrong. The hand check accepts nothing the schema refuses (a property test says so).
 */
export function parseCheckJob(data: unknown): z.ZodSafeParseResult<CheckJob> {
  return isPlainCheckJob(data) ? { success: true, data } : checkJobSchema.safeParse(data);
}

function isPlainCheckJob(data: unknown): data is CheckJob {
  if (!isPlainObject(data)) return false;
  const job = data as Record<string, unknown>;
  for (const key in job) if (!CHECK_JOB_KEYS.has(key)) return false;
  const { v, monitorId, roundId, region, scheduledAt, deadline, spec, previous, baseline } = job;
  return (
    (v === 1 || v === 2) &&
    boundedString(monitorId, 64) &&
    boundedString(roundId, 128) &&
    typeof region === 'string' &&
    REGION_NAME.test(region) &&
    positiveSafeInteger(scheduledAt) &&
    positiveSafeInteger(deadline) &&
    isPlainObject(spec) &&
    (previous === undefined ? !Object.hasOwn(job, 'previous') : plainValidators(previous)) &&
    (baseline === undefined ? !Object.hasOwn(job, 'baseline') : baseline === null || isPlainObject(baseline))
  );
}

/** An object straight from `JSON.parse`: own enumerable string keys only, `Object.prototype` as prototype. */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return !Object.hasOwn(value, '__proto__') && Object.getOwnPropertySymbols(value).length === 0;
}

function boundedString(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function positiveSafeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function plainValidators(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const validators = value as Record<string, unknown>;
  for (const key in validators) {
    const text = validators[key];
    if (key === 'etag' ? !(typeof text === 'string' && text.length <= 1024) : key === 'lastModified' ? !(typeof text === 'string' && text.length <= 256) : true) {
      return false;
    }
  }
  return true;
}
