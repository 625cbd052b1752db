import { DelayedError, Queue, type Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, jobOptions } from './job-definition';
import { JobRegistrationError, JobRegistry, MissingJobHandlerError } from './job-registry';
import { destroy, testConnection, uniquePrefix, waitFor } from './testing/test-queues';

const greet = defineJob({
  queue: 'greetings',
  name: 'greet',
  schema: z.object({ who: z.string().min(1) }).strict(),
  options: { attempts: 3, backoff: { type: 'fixed', delay: 10 } },
});
const wave = defineJob({ queue: 'greetings', name: 'wave', schema: z.object({ times: z.number().int() }), options: {} });
const count = defineJob({ queue: 'counts', name: 'count', schema: z.object({ n: z.number() }), options: {} });

describe('JobRegistry', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('refuses to build a worker while a declared job has no handler', () => {
    const registry = new JobRegistry([greet, wave, count]);
    registry.handle(greet, async () => undefined);
    expect(registry.missing()).toEqual(['counts/count', 'greetings/wave']);
    expect(() => registry.assertComplete()).toThrow(MissingJobHandlerError);
    expect(() => registry.createWorker('greetings', { connection: testConnection })).toThrow(/no handler for job\(s\) counts\/count, greetings\/wave/);
  });

  it('takes exactly one handler per declared job', () => {
    expect(() => new JobRegistry([greet, greet])).toThrow(JobRegistrationError);
    const registry = new JobRegistry([greet]);
    registry.handle(greet, async () => undefined);
    expect(() => registry.handle(greet, async () => undefined)).toThrow(/has a handler already/);
    expect(() => registry.handle(count, async () => undefined)).toThrow(/not declared/);
    expect(() => registry.createWorker('counts', { connection: testConnection })).toThrow(/no job is declared on queue counts/);
  });

  it('hands each job its parsed payload and partition; fails malformed and unknown jobs once, for good', async () => {
    const prefix = uniquePrefix();
    const queue = new Queue('greetings', { connection: testConnection, prefix });
    cleanups.push(() => destroy(queue));
    const registry = new JobRegistry([greet, wave]);
    const seen: { who: string; partition: string | undefined; inFlight: number }[] = [];
    let inFlight = (): number => -1;
    registry.handle(greet, async (payload, _job, context) => {
      seen.push({ who: payload.who, partition: context.partition, inFlight: inFlight() });
      return `hello ${payload.who}`;
    });
    registry.handle(wave, async (payload) => payload.times);
    const { worker, processor } = registry.createWorker('greetings', { connection: testConnection, prefix, partition: 'eu-west' });
    inFlight = () => processor.inFlight;
    cleanups.push(() => worker.close());
    void worker.run();

    const finished = async (id: string): Promise<Job> =>
      waitFor(async () => {
        const job = await queue.getJob(id);
        return job?.finishedOn !== undefined ? job : undefined;
      }, 5_000, `job ${id} to finish`);

    await queue.add(greet.name, { who: 'ops' }, jobOptions(greet, { jobId: 'good' }));
    expect((await finished('good')).returnvalue).toBe('hello ops');
    expect(seen).toEqual([{ who: 'ops', partition: 'eu-west', inFlight: 1 }]);
    expect(processor.inFlight).toBe(0);

    await queue.add(greet.name, { who: '', extra: 1 }, jobOptions(greet, { jobId: 'malformed' }));
    const malformed = await finished('malformed');
    expect(malformed.failedReason).toMatch(/^malformed greet job malformed: /);
    expect(malformed.failedReason).toContain('who: ');
    expect(malformed.failedReason).toContain('(payload): ');
    expect(malformed.attemptsMade).toBe(1);

    await queue.add('shout', { who: 'ops' }, { jobId: 'unknown', attempts: 3 });
    const unknown = await finished('unknown');
    expect(unknown.failedReason).toBe('no handler for job "shout" on queue "greetings"');
    expect(unknown.attemptsMade).toBe(1);
  });

  it('hands a handler the lock token, so it can put its job back without spending an attempt', async () => {
    const prefix = uniquePrefix();
    const queue = new Queue('greetings', { connection: testConnection, prefix });
    cleanups.push(() => destroy(queue));
    const registry = new JobRegistry([greet, wave]);
    let runs = 0;
    registry.handle(greet, async (payload, job, { token }) => {
      runs++;
      if (runs === 1) {
        await job.moveToDelayed(Date.now() + 50, token);
        throw new DelayedError();
      }
      return `hello again ${payload.who}`;
    });
    registry.handle(wave, async () => undefined);
    const { worker } = registry.createWorker('greetings', { connection: testConnection, prefix });
    cleanups.push(() => worker.close());
    void worker.run();

    await queue.add(greet.name, { who: 'ops' }, jobOptions(greet, { jobId: 'later' }));
    const done = await waitFor(async () => {
      const job = await queue.getJob('later');
      return job?.finishedOn !== undefined ? job : undefined;
    }, 5_000, 'the delayed job to finish');
    expect(done.returnvalue).toBe('hello again ops');
    expect(runs).toBe(2);
    expect(done.attemptsMade).toBe(1);
  });
});
