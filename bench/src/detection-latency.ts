/**
 * Part 4: detection latency. How long from an origin failing to the team's webhook receiving
 * `incident.opened`, minus what the confirmation policy asks for by design (openAfter rounds ×
 * interval): the overhead the system adds (scheduling, probing, result intake, reconciliation,
 * the outbox, webhook delivery). Real coordinator, real agents in three regions, a real origin and
 * a real webhook receiver on loopback; the origin is stopped and started again for each trial.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { startAgent } from './agent-process';
import { COORDINATOR_MAIN } from './coordinator-capacity';
import { REPO_ROOT } from './agent-process';
import { freePort, logTail, sleep, startProcess, waitFor, type Managed } from './processes';
import { startRedis } from './redis-server';
import { distribution, type Distribution } from './stats';

const REGIONS = ['lat-a', 'lat-b', 'lat-c'];
const INTERVAL_SECONDS = 1;
const OPEN_AFTER = 2;
const ORIGIN_HOST = '127.0.0.3';
const RECEIVER_HOST = '127.0.0.4';

export interface DetectionResult {
  trials: number;
  intervalSeconds: number;
  openAfter: number;
  /** Origin failure to `incident.opened` received, ms. */
  latencyMs: Distribution;
  /** Latency minus openAfter × interval, ms: the target is under 1,000. */
  overheadMs: Distribution;
  /** Origin recovery to `incident.resolved` received, minus resolveAfter × interval, ms. */
  resolveOverheadMs: Distribution;
  /**
   * The system's own share, ms: `incident.opened` received minus the scheduled time of the round
   * that confirmed it (probe, result intake, finalization, reconcile, outbox, webhook delivery).
   */
  pipelineMs: Distribution;
}

interface Received {
  type: string;
  at: number;
  /** The scheduled time of the round that confirmed the transition (epoch ms). */
  roundAt: number;
}

export async function detectionLatency(options: { trials: number; log: (line: string) => void }): Promise<DetectionResult> {
  const redis = await startRedis();
  const received: Received[] = [];
  const receiver: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data?: { round?: { scheduledAt?: string } } };
        received.push({ type: payload.type, at, roundAt: Date.parse(payload.data?.round?.scheduledAt ?? '') });
      } catch {
        // not ours
      }
      response.writeHead(204).end();
    });
  });
  const receiverPort = await freePort(RECEIVER_HOST);
  await new Promise<void>((resolve) => receiver.listen(receiverPort, RECEIVER_HOST, resolve));

  const originPort = await freePort(ORIGIN_HOST);
  let origin: Server | undefined;
  const startOrigin = async (): Promise<void> => {
    origin = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => origin?.listen(originPort, ORIGIN_HOST, resolve));
  };
  const stopOrigin = async (): Promise<void> => {
    const server = origin;
    origin = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const processes: Managed[] = [];
  try {
    await startOrigin();
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const coordinator = startProcess({
      name: 'coordinator-latency',
      command: process.execPath,
      args: [COORDINATOR_MAIN],
      cwd: REPO_ROOT,
      env: { REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.1', API_TOKEN: token, SECRETS_KEY: randomBytes(32).toString('base64'), MIN_INTERVAL_SECONDS: '1', ROUND_GRACE_MS: '1000', LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        // The bench polls status every 100 ms: what it measures is detection, not the rate limits.
        RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE_PER_ADDRESS: '0' },
      unset: ['NODE_OPTIONS', 'WEBHOOK_RETRY_SCHEDULE', 'WEBHOOK_TIMEOUT_MS', 'WEBHOOK_CIRCUIT_THRESHOLD', 'WEBHOOK_CIRCUIT_COOLDOWN', 'WEBHOOK_DISABLE_AFTER'],
    });
    processes.push(coordinator);
    const base = `http://127.0.0.1:${port}`;
    const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    await waitFor('the coordinator', async () => ((await fetch(`${base}/health`).catch(() => undefined)) ? true : undefined), 30_000, 100).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${logTail(coordinator)}`);
    });
    for (const [index, region] of REGIONS.entries()) {
      processes.push(await startAgent({ redis, region, agentId: `${region}-${index}`, concurrency: 50, cpu: undefined }));
    }
    const webhook = await api('POST', '/v1/webhooks', { url: `http://${RECEIVER_HOST}:${receiverPort}/hook` });
    if (webhook.status !== 201) throw new Error(`webhook not created: ${JSON.stringify(webhook.json)}`);
    const monitor = await api('POST', '/v1/monitors', {
      name: 'detection latency',
      url: `http://${ORIGIN_HOST}:${originPort}/health`,
      regions: REGIONS,
      intervalSeconds: INTERVAL_SECONDS,
      timeoutMs: 1000,
      cacheBypass: false,
      incidents: { openAfter: OPEN_AFTER, resolveAfter: OPEN_AFTER },
    });
    if (monitor.status !== 201) throw new Error(`monitor not created: ${JSON.stringify(monitor.json)}`);
    const monitorId = String(monitor.json['id']);
    const operational = async (): Promise<void> => {
      await waitFor('operational', async () => {
        const status = await api('GET', `/v1/monitors/${monitorId}/status`);
        const classification = status.json['classification'] as { classification?: string } | null;
        return classification?.classification === 'operational' && status.json['incident'] === null ? true : undefined;
      }, 30_000, 100);
    };
    await operational();

    const latencies: number[] = [];
    const pipeline: number[] = [];
    const resolveOverheads: number[] = [];
    for (let trial = 0; trial < options.trials; trial++) {
      // Fail at a random phase of the interval, as real failures do.
      await sleep(1_000 + Math.random() * 1_000);
      const before = received.length;
      const failedAt = Date.now();
      await stopOrigin();
      const opened = await waitFor('incident.opened', async () => received.slice(before).find((r) => r.type === 'incident.opened'), 30_000, 10);
      latencies.push(opened.at - failedAt);
      pipeline.push(opened.at - opened.roundAt);
      await sleep(Math.random() * 1_000);
      const healedAt = Date.now();
      const afterOpen = received.length;
      await startOrigin();
      const resolved = await waitFor('incident.resolved', async () => received.slice(afterOpen).find((r) => r.type === 'incident.resolved'), 30_000, 10);
      resolveOverheads.push(resolved.at - healedAt - OPEN_AFTER * INTERVAL_SECONDS * 1000);
      options.log(`  trial ${trial + 1}: opened after ${opened.at - failedAt} ms (${opened.at - opened.roundAt} ms after its confirming round was scheduled), resolved after ${resolved.at - healedAt} ms`);
      await operational();
    }
    const designed = OPEN_AFTER * INTERVAL_SECONDS * 1000;
    // Negative overheads are normal: the first failing round comes a fraction of an interval after the failure.
    return {
      trials: options.trials,
      intervalSeconds: INTERVAL_SECONDS,
      openAfter: OPEN_AFTER,
      latencyMs: distribution(latencies),
      overheadMs: distribution(latencies.map((ms) => ms - designed)),
      resolveOverheadMs: distribution(resolveOverheads),
      pipelineMs: distribution(pipeline),
    };
  } finally {
    for (const proc of processes.reverse()) await proc.stop(5_000);
    await stopOrigin();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await redis.stop();
  }
}
