import { join } from 'node:path';
import { logTail, startProcess, type Managed } from './processes';
import type { TargetMessage, TargetStats } from './target-server';

export interface Target {
  process: Managed;
  host: string;
  port: number;
  origin: string;
  stats(): Promise<TargetStats>;
  stop(): Promise<void>;
}

/** Starts the target server (bench/dist/target-server.js) as a child process on `host`, pinned to `cpu`. */
export async function startTarget(host: string, cpu: number | undefined): Promise<Target> {
  const proc = startProcess({
    name: `target-${host}`,
    command: process.execPath,
    args: [join(__dirname, 'target-server.js')],
    env: { TARGET_HOST: host },
    ipc: true,
    ...(cpu !== undefined ? { cpu } : {}),
  });
  const waiters: ((stats: TargetStats) => void)[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`target did not start:\n${logTail(proc)}`)), 10_000);
    proc.child.on('message', (message: TargetMessage) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'stats') {
        waiters.shift()?.(message);
      }
    });
    void proc.exited.then((code) => reject(new Error(`target exited (${code}):\n${logTail(proc)}`)));
  });
  return {
    process: proc,
    host,
    port,
    origin: `http://${host}:${port}`,
    stats: () =>
      new Promise<TargetStats>((resolve, reject) => {
        waiters.push(resolve);
        if (!proc.child.connected) reject(new Error('target is gone'));
        else proc.child.send({ type: 'stats' });
      }),
    stop: () => proc.stop(3_000),
  };
}
