import { CHECK_JOB_NAME, checkJobIdFor, type CheckJob, type CheckResult } from '@crosscheck/contract';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { checkJob, startTarget, type TestTarget } from '../testing/agent-test-support';
import { CheckJobProcessor, ResultNotDelivered, type CheckJobEnvelope, type ResultSink } from './check-job.processor';

/**
 * The processor's failure handling, with a result sink that fails on demand in place of Redis.
 * (The happy paths run against real Redis in agent.spec.ts.)
 */
class ScriptedSink implements ResultSink {
  readonly added = new Map<string, CheckResult>();
  attempts = 0;

  constructor(
    private readonly failures: number,
    private readonly onAdd: () => void = () => undefined,
  ) {}

  async add(jobId: string, result: CheckResult): Promise<void> {
    this.attempts += 1;
    this.onAdd();
    if (this.attempts <= this.failures) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    if (!this.added.has(jobId)) this.added.set(jobId, result);
  }

  async has(jobId: string): Promise<boolean> {
    return this.added.has(jobId);
  }
}

const region = 'eu-west';
let target: TestTarget;

beforeAll(async () => {
  target = await startTarget((_, response) => response.end('ok'));
});
afterAll(() => target.close());

function processorWith(results: ResultSink, now: () => number = Date.now) {
  return new CheckJobProcessor({
    region,
    agentId: 'spec-agent',
    agentVersion: '0.0.0-spec',
    probe: { resolve: [], allowPrivate: true, allowLinkLocal: false },
    results,
    logger: silentLogger(),
    now,
    resultRetryDelaysMs: [10, 10],
  });
}

function envelope(data: CheckJob, attemptsStarted = 1): CheckJobEnvelope {
  return { id: checkJobIdFor(data.roundId, data.region), name: CHECK_JOB_NAME, data, attemptsMade: 0, attemptsStarted };
}

describe('CheckJobProcessor', () => {
  it('rides out a short Redis blip without probing again', async () => {
    const sink = new ScriptedSink(2);
    const job = checkJob(region, target.url);
    const before = target.requests();
    const outcome = await processorWith(sink).process(envelope(job));
    expect(outcome).toMatchObject({ status: 'up' });
    expect(sink.attempts).toBe(3);
    expect(target.requests() - before).toBe(1);
  });

  it('gives the job back to BullMQ (a retryable error) when Redis stays away before the deadline', async () => {
    const processor = processorWith(new ScriptedSink(Infinity));
    const failure = processor.process(envelope(checkJob(region, target.url)));
    await expect(failure).rejects.toBeInstanceOf(ResultNotDelivered);
    await expect(failure).rejects.not.toBeInstanceOf(UnrecoverableError);
    expect(processor.inFlight).toBe(0);
  });

  it('drops the result once the deadline has passed: a retry would be dropped anyway', async () => {
    const job = checkJob(region, target.url);
    let clock = job.scheduledAt;
    // Redis hangs up slowly: by the first failed add, the deadline has passed.
    const sink = new ScriptedSink(Infinity, () => {
      clock = job.deadline + 1;
    });
    const outcome = await processorWith(sink, () => clock).process(envelope(job));
    expect(outcome).toMatchObject({ dropped: 'deadline', probed: true });
    expect(sink.attempts).toBe(1);
  });

  it('does not probe a retried job whose result was already delivered', async () => {
    const sink = new ScriptedSink(0);
    const processor = processorWith(sink);
    const job = checkJob(region, target.url);
    await processor.process(envelope(job));
    const before = target.requests();

    const outcome = await processor.process(envelope(job, 2));
    expect(outcome).toEqual({ skipped: 'result_exists', resultJobId: checkJobIdFor(job.roundId, region) });
    expect(target.requests()).toBe(before);
  });
  it("learns the region's baseline only for a coordinator that sent one, and carries it round to round", async () => {
    const sink = new ScriptedSink(0);
    const processor = processorWith(sink);
    // A job without the field (an older coordinator): no baseline, no fingerprint in the result.
    const older = checkJob(region, target.url);
    await processor.process(envelope(older));
    const plain = sink.added.get(checkJobIdFor(older.roundId, region));
    expect(plain?.baseline).toBeUndefined();
    expect(plain?.observation.fingerprint).toBeUndefined();

    // `null`: nothing learned yet; the result brings the first round back, learned from this answer.
    const first = { ...checkJob(region, target.url), baseline: null };
    await processor.process(envelope(first));
    const learned = sink.added.get(checkJobIdFor(first.roundId, region));
    expect(learned?.baseline?.rounds).toBe(1);
    expect(learned?.observation.fingerprint?.kind).toBe('text');
    expect(learned?.observation.specHash).toBe(learned?.baseline?.specHash);

    // The next round's job carries it: the baseline grows.
    const second = { ...checkJob(region, target.url), roundId: `${first.roundId}-2`, scheduledAt: first.scheduledAt + 1_000, baseline: learned?.baseline as Record<string, unknown> };
    await processor.process(envelope(second));
    expect(sink.added.get(checkJobIdFor(second.roundId, region))?.baseline?.rounds).toBe(2);

    // A baseline that does not parse fails nothing: the check runs, and learning starts over.
    const broken = { ...checkJob(region, target.url), roundId: `${first.roundId}-3`, scheduledAt: first.scheduledAt + 2_000, baseline: { v: 1, rounds: 'many' } };
    const outcome = await processor.process(envelope(broken));
    expect(outcome).toMatchObject({ status: 'up' });
    expect(sink.added.get(checkJobIdFor(broken.roundId, region))?.baseline?.rounds).toBe(1);
  });
});
