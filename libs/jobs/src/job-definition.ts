import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';

/**
 * One kind of job: the queue it goes on, its BullMQ name, the schema its payload must satisfy where
 * it arrives, and the options every add of it uses. The payload type follows from the definition,
 * so a producer and a handler of the same job cannot disagree about it.
 */
export interface JobDefinition<Payload = unknown> {
  /** The queue's name, without prefix (a queue may carry several kinds of job). */
  readonly queue: string;
  /** The BullMQ job name; unique within its queue. */
  readonly name: string;
  /** Parses the payload where the job is processed; a job that fails it is malformed (failed once, never retried). */
  readonly schema: z.ZodType<Payload>;
  /** Options of every add (attempts, backoff, retention); an add may bring its own on top (job id, delay). */
  readonly options: Readonly<JobsOptions>;
}

/** The payload type of a {@link JobDefinition}. */
export type PayloadOf<D> = D extends JobDefinition<infer P> ? P : never;

/** Declares a job kind (identity: it exists so the payload type is inferred from the schema). */
export function defineJob<Payload>(definition: JobDefinition<Payload>): JobDefinition<Payload> {
  return definition;
}

/** The options to add one job of `definition` with: its own, then the add's (job id, delay, ...). */
export function jobOptions(definition: JobDefinition<unknown>, extra: JobsOptions = {}): JobsOptions {
  return { ...definition.options, ...extra };
}
