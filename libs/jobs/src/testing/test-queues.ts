import { randomBytes } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';

/** The shared test Redis: `REDIS_URL`, or the local one. */
const TEST_REDIS_URL = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');

/** Connection options of the test Redis, for queues and workers that open their own connections. */
export const testConnection: ConnectionOptions = {
  host: TEST_REDIS_URL.hostname,
  port: Number(TEST_REDIS_URL.port || 6379),
  maxRetriesPerRequest: null,
};

/** A BullMQ prefix no other test uses, so keys never collide. */
export function uniquePrefix(): string {
  return `t-jobs-${randomBytes(6).toString('hex')}`;
}

/** Polls `probe` until it returns something other than `undefined`, or throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Removes every key of the queue and closes it. */
export async function destroy(queue: Queue): Promise<void> {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
}
