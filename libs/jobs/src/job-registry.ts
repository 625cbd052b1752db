import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { JobDefinition } from './job-definition';

/** What a handler knows about where its job came from. */
export interface JobContext {
  /**
   * What the worker was opened for, when one queue name exists once per partition (the results
   * queue of each region): the `partition` given to {@link JobRegistry.createWorker}.
   */
  readonly partition: string | undefined;
  /**
   * The lock token the worker holds the job with: what a handler passes to `job.moveToDelayed`
   * (then throwing BullMQ's `DelayedError`) to put its job back without spending an attempt.
   */
  readonly token: string | undefined;
}

/** Handles one job whose payload has passed its definition's schema. */
export type JobHandler<Payload, Result = unknown> = (payload: Payload, job: Job, context: JobContext) => Promise<Result>;

/** The registry was set up wrong: a definition twice, a handler twice, a handler for an undeclared job. */
export class JobRegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobRegistrationError';
  }
}

/** Jobs were declared that nothing handles: the process must not start consuming. */
export class MissingJobHandlerError extends Error {
  constructor(readonly jobs: readonly string[]) {
    super(`no handler for job(s) ${jobs.join(', ')}: every declared job needs exactly one handler`);
    this.name = 'MissingJobHandlerError';
  }
}

/** Options of a worker built by the registry: BullMQ's, less `autorun` (the caller runs it), plus the partition. */
export type RegistryWorkerOptions = Omit<WorkerOptions, 'autorun'> & { partition?: string };

/**
 * Counts the jobs in flight of one worker and dispatches each to its handler by name, parsing the
 * payload first. A job with no handler on this queue, or with a payload its schema refuses, is
 * malformed: it fails with BullMQ's `UnrecoverableError`, once, and is never retried.
 */
export class JobProcessor {
  private running = 0;

  constructor(
    private readonly handlers: ReadonlyMap<string, BoundHandler>,
    private readonly queue: string,
    private readonly partition: string | undefined,
  ) {}

  /** Jobs being handled right now. */
  get inFlight(): number {
    return this.running;
  }

  /** The BullMQ processor function. */
  readonly process = async (job: Job, token?: string): Promise<unknown> => {
    const handler = this.handlers.get(keyOf(this.queue, job.name));
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${this.queue}"`);
    this.running++;
    try {
      return await handler(job, { partition: this.partition, token });
    } finally {
      this.running--;
    }
  };
}

type BoundHandler = (job: Job, context: JobContext) => Promise<unknown>;

/**
 * The one way a process builds its BullMQ workers: every job it consumes is declared up front
 * (queue, name, payload schema, options) and gets exactly one handler; building a worker before
 * every declared job has a handler fails, so a process with a job nobody handles does not start.
 */
export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private readonly handlers = new Map<string, BoundHandler>();

  constructor(definitions: readonly JobDefinition<unknown>[]) {
    for (const definition of definitions) {
      const key = keyOf(definition.queue, definition.name);
      if (this.definitions.has(key)) throw new JobRegistrationError(`job ${key} is declared twice`);
      this.definitions.set(key, definition);
    }
  }

  /** Sets the handler of a declared job. Throws when the job is not declared or already has one. */
  handle<Payload>(definition: JobDefinition<Payload>, handler: JobHandler<Payload>): void {
    const key = keyOf(definition.queue, definition.name);
    if (this.definitions.get(key) !== definition) throw new JobRegistrationError(`job ${key} is not declared in this registry`);
    if (this.handlers.has(key)) throw new JobRegistrationError(`job ${key} has a handler already`);
    this.handlers.set(key, async (job, context) => {
      const parsed = definition.schema.safeParse(job.data);
      if (!parsed.success) {
        const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
        throw new UnrecoverableError(`malformed ${definition.name} job ${job.id ?? ''}: ${problems.join('; ')}`);
      }
      return handler(parsed.data, job, context);
    });
  }

  /** Declared jobs (`queue/name`) without a handler. */
  missing(): string[] {
    return [...this.definitions.keys()].filter((key) => !this.handlers.has(key)).sort();
  }

  /** Throws {@link MissingJobHandlerError} unless every declared job has its handler. */
  assertComplete(): void {
    const missing = this.missing();
    if (missing.length > 0) throw new MissingJobHandlerError(missing);
  }

  /**
   * Builds a worker of `queue` (not running: call `run()`, or hand it to a watchdog) whose jobs go
   * to their handlers. Fails when a declared job has no handler, or when no job is declared on `queue`.
   */
  createWorker(queue: string, options: RegistryWorkerOptions): { worker: Worker; processor: JobProcessor } {
    this.assertComplete();
    if (![...this.definitions.values()].some((definition) => definition.queue === queue)) {
      throw new JobRegistrationError(`no job is declared on queue ${queue}`);
    }
    const { partition, ...workerOptions } = options;
    const processor = new JobProcessor(this.handlers, queue, partition);
    const worker = new Worker(queue, processor.process, { ...workerOptions, autorun: false });
    return { worker, processor };
  }
}

function keyOf(queue: string, name: string): string {
  return `${queue}/${name}`;
}
