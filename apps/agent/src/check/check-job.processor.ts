import {
  baselineSchema,
  evaluate,
  evaluateWithFingerprint,
  learnBaseline,
  MonitorSpecError,
  probe,
  type Baseline,
  type CompiledSpec,
  type HostResolver,
  type ProbeOptions,
  type ResolveOverride,
  type Verdict,
  type VerdictStatus,
} from '@crosscheck/checks';
import {
  CHECK_JOB_NAME,
  checkJobIdFor,
  parseCheckJob,
  SUPPORTED_CONTRACT_VERSIONS,
  type CheckJob,
  type CheckResult,
  type ObservationSummary,
} from '@crosscheck/contract';
import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import { lazyChildLogger, type CheckLogger } from '../logging/lazy-child-logger';
import type { Logger } from '../logging/logger';
import { BodyBudget, DEFAULT_MEMORY_BUDGET_BYTES, planBodyReservation } from './body-budget';
import { CompiledSpecCache } from './compiled-spec-cache';
import { summariseObservation } from './observation-summary';

/** Where results go: the region's `results` queue in production. */
export interface ResultSink {
  /** Adds a result under `jobId`; adding one that exists already is a no-op. Throws when Redis cannot take it. */
  add(jobId: string, result: CheckResult): Promise<void>;
  /** Whether a result is already stored under `jobId`. */
  has(jobId: string): Promise<boolean>;
}

/** What processing a check job returned (BullMQ stores it as the job's return value). */
export type CheckOutcome =
  | { status: VerdictStatus; resultJobId: string }
  /** Past the deadline: dropped before probing, or (`probed`) probed but Redis took the result too late. */
  | { dropped: 'deadline'; lateMs: number; probed?: true }
  | { skipped: 'result_exists'; resultJobId: string };

/** How a check ended, as `/metrics` counts it: its verdict, or why it has none. */
export type CheckEnd = VerdictStatus | 'dropped' | 'skipped' | 'error';

/** Told how each check ends (the agent's metrics, when served). */
export interface CheckObserver {
  /** A check ended (after its result was handed over, or without one). */
  ended(end: CheckEnd): void;
  /** A probe failed to get a response: `code` is the verdict's `probeError` (e.g. `connection_refused`). */
  probeFailed(code: string): void;
}

/** The parts of a BullMQ job the processor reads. */
export type CheckJobEnvelope = Pick<Job, 'id' | 'name' | 'data' | 'attemptsMade' | 'attemptsStarted'>;

export interface CheckJobProcessorOptions {
  region: string;
  agentId: string;
  agentVersion: string;
  /** The agent's overrides, address policy and (with `PROBE_DNS_SERVERS`) resolver, applied to every probe. */
  probe: { resolve: ResolveOverride[]; allowPrivate: boolean; allowLinkLocal: boolean; resolver?: HostResolver };
  results: ResultSink;
  /** The agent's logger; it carries `region` and `agentId` already. */
  logger: Logger;
  /** Epoch ms; injected by tests. */
  now?: () => number;
  specCache?: CompiledSpecCache;
  /** The agent's memory budget for bodies in flight, shared by its checks; default {@link DEFAULT_MEMORY_BUDGET_BYTES}. */
  bodyBudget?: BodyBudget;
  /** Delays between attempts to hand a result to Redis before giving the job back to BullMQ. */
  resultRetryDelaysMs?: readonly number[];
  /** Told how each check ends; none by default (the agent's metrics are optional). */
  observer?: CheckObserver;
}

/**
 * Turns one check job into one result: validate, drop if late, compile, probe, evaluate, send.
 *
 * Failures are kept apart (STYLE.md, practice 4): a target that is down is a successful check with
 * a `down` verdict; a malformed job throws `UnrecoverableError` (failed once, never retried); Redis
 * refusing the result throws a plain error so BullMQ retries the job under its attempts.
 */
export class CheckJobProcessor {
  private inFlightCount = 0;
  private abandoned = false;
  private readonly now: () => number;
  private readonly specCache: CompiledSpecCache;
  private readonly bodyBudget: BodyBudget;
  private readonly resultRetryDelaysMs: readonly number[];

  constructor(private readonly options: CheckJobProcessorOptions) {
    this.now = options.now ?? Date.now;
    this.specCache = options.specCache ?? new CompiledSpecCache();
    this.bodyBudget = options.bodyBudget ?? new BodyBudget(DEFAULT_MEMORY_BUDGET_BYTES);
    this.resultRetryDelaysMs = options.resultRetryDelaysMs ?? [250, 1_000];
  }

  /** Checks being processed right now (reported in heartbeats). */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /**
   * Processes one job. Once {@link abandonInFlight} was called, a check that ends after it settles
   * nothing: its job is left to its lock's expiry.
   */
  process(job: CheckJobEnvelope): Promise<CheckOutcome> {
    const outcome = this.processNow(job);
    return new Promise((resolve, reject) => {
      outcome.then(
        (value) => (this.abandoned ? undefined : resolve(value)),
        (error: unknown) => (this.abandoned ? undefined : reject(error instanceof Error ? error : new Error(String(error)))),
      );
    });
  }

  /**
   * The agent gave up on the checks still in flight (its shutdown grace period is over and its
   * connections are being closed): their outcomes are no longer reported to BullMQ. A job finished
   * after its worker's connection closed is one BullMQ tries to move again and again without a
   * pause while the worker is closing (bullmq 5.81, `Worker.retryIfFailed`), which would spin a
   * process that stays up after the stop (one embedding an agent, a test) at full CPU. Another
   * agent takes the jobs once their locks expire (see `CHECK_LOCKS`).
   */
  abandonInFlight(): void {
    this.abandoned = true;
  }

  private async processNow(job: CheckJobEnvelope): Promise<CheckOutcome> {
    this.inFlightCount += 1;
    try {
      const outcome = await this.run(job);
      this.options.observer?.ended('status' in outcome ? outcome.status : 'dropped' in outcome ? 'dropped' : 'skipped');
      return outcome;
    } catch (error) {
      this.options.observer?.ended('error');
      // Malformed jobs and undelivered results were logged where they were found; anything else is a bug.
      if (!(error instanceof UnrecoverableError) && !(error instanceof ResultNotDelivered) && !(error instanceof CheckHandedBack)) {
        this.options.logger.error({ err: error, ...identifiersOf(job.data), jobId: job.id }, 'check failed unexpectedly');
      }
      throw error;
    } finally {
      this.inFlightCount -= 1;
    }
  }

  private async run(job: CheckJobEnvelope): Promise<CheckOutcome> {
    // `region` is already on the agent's root logger: pino would print it twice.
    const log = lazyChildLogger(this.options.logger, () => ({ ...identifiersOf(job.data), jobId: job.id }));
    const check = this.parse(job, log);
    const resultJobId = checkJobIdFor(check.roundId, check.region);

    const lateMs = this.now() - check.deadline;
    if (lateMs >= 0) {
      log.warn({ lateMs, deadline: check.deadline }, 'check dropped unprobed: past its deadline');
      return { dropped: 'deadline', lateMs };
    }

    // A job run again (stalled agent, lost lock, retry) may have delivered its result already.
    if ((job.attemptsStarted > 1 || job.attemptsMade > 0) && (await this.resultExists(resultJobId))) {
      log.info({ resultJobId }, 'check skipped: its result was already delivered');
      return { skipped: 'result_exists', resultJobId };
    }

    let spec: CompiledSpec;
    let specHash: string;
    try {
      ({ compiled: spec, specHash } = this.specCache.entry(check.spec));
    } catch (error) {
      if (error instanceof MonitorSpecError) throw malformed(log, `spec does not compile: ${error.message}`);
      throw error;
    }

    const probeOptions: ProbeOptions = {
      resolve: this.options.probe.resolve,
      allowPrivate: this.options.probe.allowPrivate,
      allowLinkLocal: this.options.probe.allowLinkLocal,
      ...(this.options.probe.resolver ? { resolver: this.options.probe.resolver } : {}),
      now: this.now,
      ...(check.previous ? { previous: check.previous } : {}),
    };
    const judged = await this.probeWithinBudget({ spec, specHash, baseline: this.baselineOf(check, log) }, check, probeOptions, log);
    if ('dropped' in judged) return judged;
    const { verdict, startedAt, summary, baseline } = judged;
    if (verdict.evidence.probeError !== undefined) this.options.observer?.probeFailed(verdict.evidence.probeError);
    const finishedAt = this.now();

    // Typed against the contract at compile time and validated where it arrives (the coordinator's
    // intake); the agent's specs assert it parses. Validating it here too cost ~5 % of a check's CPU.
    const candidate: CheckResult = {
      // Answered in the job's version: a v1 coordinator knows no result batches.
      v: check.v,
      monitorId: check.monitorId,
      roundId: check.roundId,
      region: check.region,
      agentId: this.options.agentId,
      agentVersion: this.options.agentVersion,
      startedAt,
      finishedAt,
      verdict,
      observation: summary,
      // Only a coordinator that sent a baseline field takes one back (an older one refuses the field).
      ...(check.baseline !== undefined && baseline !== undefined ? { baseline } : {}),
    };
    if (log.isLevelEnabled('debug')) {
      log.debug(
        {
          status: verdict.status,
          causes: verdict.causes.map((cause) => cause.code),
          httpStatus: verdict.evidence.httpStatus,
          totalMs: verdict.evidence.totalMs,
        },
        'check done',
      );
    }
    const delivered = await this.deliver(resultJobId, candidate, check, log);
    if (!delivered) return { dropped: 'deadline', lateMs: this.now() - check.deadline, probed: true };
    return { status: verdict.status, resultJobId };
  }

  /**
   * Probes and judges once the check's body bytes are reserved in the agent's budget (see
   * {@link BodyBudget}), waiting in line for them until the check's deadline at most. The
   * observation, bodies and all, is out of reach before the reservation is released.
   */
  private async probeWithinBudget(
    { spec, specHash, baseline }: { spec: CompiledSpec; specHash: string; baseline: Baseline | undefined },
    check: CheckJob,
    probeOptions: ProbeOptions,
    log: CheckLogger,
  ): Promise<Judged | Extract<CheckOutcome, { dropped: 'deadline' }>> {
    const budget = this.bodyBudget;
    const plan = planBodyReservation(spec, budget.totalBytes);
    if (plan.clampedFrom !== undefined) {
      log.warn(
        { maxBodyBytes: plan.clampedFrom, requests: plan.requests, addressRequests: plan.addressRequests, memoryBudgetBytes: budget.totalBytes, probedWithMaxBodyBytes: plan.maxBodyBytes },
        "the monitor's body cap exceeds the agent's whole memory budget; probing alone, with a lower cap",
      );
    }
    const waitStartedAt = this.now();
    const reservation = await budget.reserve(plan.bytes, check.deadline - waitStartedAt);
    if (reservation === 'deadline') {
      // The wait's timer may fire a millisecond before the clock reads the deadline.
      const lateMs = Math.max(0, this.now() - check.deadline);
      log.warn(
        { lateMs, deadline: check.deadline, waitedMs: this.now() - waitStartedAt, bodyBytes: plan.bytes, memoryBudgetBytes: budget.totalBytes },
        'check dropped unprobed: its deadline passed while it waited for memory budget',
      );
      return { dropped: 'deadline', lateMs };
    }
    if (reservation === 'stopping') throw new CheckHandedBack(check);
    try {
      const probed = plan.clampedFrom === undefined ? spec : { ...spec, maxBodyBytes: plan.maxBodyBytes };
      const observation = await probe(probed, probeOptions);
      const summary = summariseObservation(observation, check.previous);
      if (check.baseline === undefined || !spec.baseline.enabled) {
        return { verdict: evaluate(probed, observation), startedAt: observation.startedAt, summary };
      }
      // `evaluate` itself ignores a baseline learned under another spec. The fingerprint comes from
      // the same reading of the body as the verdict.
      const { verdict, fingerprint } = evaluateWithFingerprint(probed, observation, baseline ? { baseline } : {});
      if (fingerprint) summary.fingerprint = fingerprint;
      summary.specHash = specHash;
      const next = learnBaseline(baseline, { fingerprint, verdict, specHash, scheduledAt: check.scheduledAt }, spec.baseline);
      return { verdict, startedAt: observation.startedAt, summary, ...(next ? { baseline: next } : {}) };
    } finally {
      reservation.release();
    }
  }

  /**
   * The job's baseline, validated: one that does not parse is logged and left out (the check goes
   * on without it, and the baseline is learned afresh), never a malformed job.
   */
  private baselineOf(check: CheckJob, log: CheckLogger): Baseline | undefined {
    if (check.baseline === undefined || check.baseline === null) return undefined;
    const parsed = baselineSchema.safeParse(check.baseline);
    if (parsed.success) return parsed.data;
    log.warn({ problem: formatIssues(parsed.error.issues) }, "the job's baseline does not parse; evaluating without it, learning afresh");
    return undefined;
  }

  /** Best effort: when Redis cannot say, probe again (the result's job id makes a second add harmless). */
  private async resultExists(resultJobId: string): Promise<boolean> {
    try {
      return await this.options.results.has(resultJobId);
    } catch {
      return false;
    }
  }

  /** Validates the envelope and payload; anything wrong is a malformed job. */
  private parse(job: CheckJobEnvelope, log: CheckLogger): CheckJob {
    if (job.name !== CHECK_JOB_NAME) {
      throw malformed(log, `unknown job name "${job.name}" (this agent handles "${CHECK_JOB_NAME}")`);
    }
    const data: unknown = job.data;
    if (typeof data === 'object' && data !== null && 'v' in data && !(SUPPORTED_CONTRACT_VERSIONS as readonly unknown[]).includes(data.v)) {
      throw malformed(log, `unsupported contract version ${JSON.stringify(data.v)} (this agent speaks v${SUPPORTED_CONTRACT_VERSIONS.join(', v')})`);
    }
    const parsed = parseCheckJob(data);
    if (!parsed.success) throw malformed(log, `invalid check job: ${formatIssues(parsed.error.issues)}`);
    if (parsed.data.region !== this.options.region) {
      throw malformed(log, `job is for region "${parsed.data.region}" but this queue belongs to "${this.options.region}"`);
    }
    return parsed.data;
  }

  /**
   * Hands the result to Redis, retrying briefly in process (a failover takes a second) so a probe
   * is not repeated for a blip. Then it gives up: past the deadline the result is no longer wanted
   * and the job completes as dropped (`false`); before it, the error goes to BullMQ, which retries
   * the job (a retry past the deadline is dropped unprobed).
   */
  private async deliver(resultJobId: string, result: CheckResult, check: CheckJob, log: CheckLogger): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.options.results.add(resultJobId, result);
        return true;
      } catch (error) {
        const delay = this.resultRetryDelaysMs[attempt];
        const pastDeadline = this.now() >= check.deadline;
        if (delay === undefined || pastDeadline || this.now() + delay >= check.deadline) {
          if (pastDeadline) {
            log.error({ err: error, resultJobId }, 'result lost: Redis did not take it before the deadline');
            return false;
          }
          log.error({ err: error, resultJobId }, 'result not delivered; the job will be retried');
          throw new ResultNotDelivered(resultJobId, error);
        }
        log.warn({ err: error, resultJobId, retryInMs: delay }, 'result not delivered yet; retrying');
        await sleep(delay);
      }
    }
  }
}

/** What a probe left once judged: no body. */
interface Judged {
  verdict: Verdict;
  startedAt: number;
  summary: ObservationSummary;
  /** The region's baseline after this round, when the job asked for one. */
  baseline?: Baseline;
}

/**
 * The agent stopped while the check waited for memory budget: nothing was probed, and the job goes
 * back to BullMQ, which retries it (on another agent of the region, or this one once restarted).
 */
export class CheckHandedBack extends Error {
  constructor(check: CheckJob) {
    super(`agent stopping: check ${check.roundId} handed back unprobed`);
    this.name = 'CheckHandedBack';
  }
}

/** Redis did not take a result before the deadline: an infrastructure failure, retried by BullMQ. */
export class ResultNotDelivered extends Error {
  constructor(resultJobId: string, cause: unknown) {
    super(`could not add result ${resultJobId}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ResultNotDelivered';
  }
}

function malformed(log: CheckLogger, message: string): UnrecoverableError {
  log.warn({ problem: message }, 'malformed check job failed without retry');
  return new UnrecoverableError(`malformed check job: ${message}`);
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Whatever identifies the check, read defensively: the payload is not validated yet when logging starts. */
function identifiersOf(data: unknown): { monitorId?: string; roundId?: string } {
  if (typeof data !== 'object' || data === null) return {};
  const { monitorId, roundId } = data as Record<string, unknown>;
  return {
    ...(typeof monitorId === 'string' ? { monitorId: monitorId.slice(0, 64) } : {}),
    ...(typeof roundId === 'string' ? { roundId: roundId.slice(0, 128) } : {}),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
