/**
 * Child process: the raw-undici baseline. `CONCURRENCY` loops, each making one GET at a time
 * with a brand-new undici `Client` (so a fresh TCP connection, as the probe makes one per hop),
 * reading the whole body, then destroying the client (as the probe does). The paths cycle over
 * the same `/health/m<k>` set the agent's check jobs use.
 *
 * Reports over IPC: `window-start` after the warm-up, `window-end` after the measured window
 * (the bench samples CPU at both), then exits.
 */
import { Client } from 'undici';

export type RawLoadMessage =
  | { type: 'window-start'; completed: number }
  | { type: 'window-end'; completed: number; errors: number; seconds: number; errorSample?: string };

const origin = requiredEnv('RAW_ORIGIN');
const concurrency = Number(requiredEnv('RAW_CONCURRENCY'));
const warmupMs = Number(requiredEnv('RAW_WARMUP_MS'));
const durationMs = Number(requiredEnv('RAW_DURATION_MS'));
const paths = Number(process.env['RAW_PATHS'] ?? '500');

const headers = { 'user-agent': 'crosscheck-bench/raw', accept: '*/*' };
let completed = 0;
let errors = 0;
let errorSample: string | undefined;
let stopped = false;

async function loop(start: number): Promise<void> {
  for (let k = start; !stopped; k += concurrency) {
    const client = new Client(origin, { pipelining: 1 });
    try {
      const response = await client.request({ path: `/health/m${k % paths}`, method: 'GET', headers });
      await response.body.text();
      if (response.statusCode === 200) completed += 1;
      else errors += 1;
    } catch (error) {
      errors += 1;
      errorSample ??= (error as Error).message;
    } finally {
      client.destroy().catch(() => undefined);
    }
  }
}

function send(message: RawLoadMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const loops = Array.from({ length: concurrency }, (_, i) => loop(i));
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  const startCount = completed;
  const startErrors = errors;
  const startedAt = performance.now();
  send({ type: 'window-start', completed: startCount });
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const seconds = (performance.now() - startedAt) / 1_000;
  send({
    type: 'window-end',
    completed: completed - startCount,
    errors: errors - startErrors,
    seconds,
    ...(errorSample !== undefined ? { errorSample } : {}),
  });
  stopped = true;
  await Promise.all(loops);
  process.disconnect?.();
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

process.on('disconnect', () => process.exit(0));
void main();
