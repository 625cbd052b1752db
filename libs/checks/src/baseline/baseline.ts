import { z } from 'zod';
import type { MonitorSpec } from '../spec/monitor-spec.schema';
import type { ContentFingerprint } from './content-fingerprint';
import { CONTENT_LIMITS, type ContentValidators, type ValidatorName } from './content-validators';

/**
 * What a monitor's healthy answer looks like in one region, learned over healthy rounds. The
 * coordinator keeps one per monitor and region and sends it with each check job; `evaluate`
 * compares each answer to it (`content_changed`, frozen content). Plain JSON, bounded.
 */
export interface Baseline {
  v: 1;
  /** {@link specHashOf} of the monitor spec it was learned under; a different spec starts over. */
  specHash: string;
  /** Healthy rounds learned (saturates at {@link MAX_LEARNED_ROUNDS}). Nothing is judged before `learnRounds`. */
  rounds: number;
  /** The learned shape; its validators are the last healthy round's. */
  fingerprint: ContentFingerprint;
  /** Per validator: consecutive healthy round pairs seen with a value in both, and how many of them changed. */
  validators: Partial<Record<ValidatorName, ValidatorHistory>>;
  /** The latest answered round's validators (healthy or not), how many rounds in a row they did not change, and when it was scheduled. */
  last: { validators: ContentValidators; unchangedRounds: number; scheduledAt: number };
  /** A different shape seen on learnable rounds, and for how many in a row: adopted after `relearnAfterRounds`. */
  candidate?: { fingerprint: ContentFingerprint; rounds: number };
}

export interface ValidatorHistory {
  pairs: number;
  changes: number;
}

/** The monitor's `baseline` settings. */
export type BaselineOptions = MonitorSpec['baseline'];

/** Counters stop here (rounds) or are halved here (validator pairs), so a baseline stays bounded and recent. */
export const MAX_LEARNED_ROUNDS = 1000;

const bounded = (max: number) => z.string().max(max);
const names = () => z.array(bounded(CONTENT_LIMITS.name)).max(CONTENT_LIMITS.list);
const count = () => z.number().int().min(0).max(1_000_000);

/** The wire form of {@link ContentValidators} (`verdict.evidence.content`). */
export const contentValidatorsSchema = z.object({
  etag: bounded(CONTENT_LIMITS.etag).optional(),
  lastModified: bounded(CONTENT_LIMITS.lastModified).optional(),
  version: bounded(CONTENT_LIMITS.version).optional(),
  bodyHash: bounded(CONTENT_LIMITS.bodyHash).optional(),
});

/** The wire form of {@link ContentFingerprint} (observation summary `fingerprint`). */
export const contentFingerprintSchema = z.object({
  mediaType: bounded(CONTENT_LIMITS.mediaType),
  kind: z.enum(['health', 'json', 'html', 'text', 'empty', 'other']),
  healthDialect: bounded(CONTENT_LIMITS.dialect).optional(),
  dependencies: names().optional(),
  jsonKeys: names().optional(),
  htmlTitle: bounded(CONTENT_LIMITS.title).optional(),
  sizeBand: z.number().int().min(0).max(64),
  server: bounded(CONTENT_LIMITS.server).optional(),
  validators: contentValidatorsSchema,
});

const validatorHistorySchema = z.object({ pairs: count(), changes: count() });

/** The wire form of a {@link Baseline}, as stored by the coordinator and sent in a check job. */
export const baselineSchema = z.object({
  v: z.literal(1),
  specHash: bounded(CONTENT_LIMITS.specHash),
  rounds: count(),
  fingerprint: contentFingerprintSchema,
  validators: z.object({
    etag: validatorHistorySchema.optional(),
    lastModified: validatorHistorySchema.optional(),
    version: validatorHistorySchema.optional(),
    bodyHash: validatorHistorySchema.optional(),
  }),
  last: z.object({ validators: contentValidatorsSchema, unchangedRounds: count(), scheduledAt: z.number().int() }),
  candidate: z.object({ fingerprint: contentFingerprintSchema, rounds: count() }).optional(),
});

// The schema and the interfaces describe the same thing; this fails to compile when they drift.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type BaselineSchemaMatches = Assert<Same<z.infer<typeof baselineSchema>, Baseline>>;
