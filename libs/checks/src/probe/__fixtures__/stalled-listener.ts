import { fork, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';

/**
 * A TCP address that takes connections into nothing: a listener in a child process stopped with
 * SIGSTOP, its accept queue (backlog 1) filled by connections held open here. The kernel drops
 * every further SYN, so a connect to it neither succeeds nor fails: it stalls, as an address
 * routed into a black hole does, without a packet leaving loopback.
 */
export interface StalledListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

const LISTENER = `
const server = require('node:net').createServer();
server.listen({ host: process.argv[1], port: Number(process.argv[2]), backlog: 1 }, () => process.send(server.address().port));
`;

export async function startStalledListener(host: string, port = 0): Promise<StalledListener> {
  const child = fork('-e', [LISTENER, host, String(port)], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const bound = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve(Number(message)));
    child.once('exit', (code) => reject(new Error(`the stalled listener on ${host} exited (${code}) before listening`)));
  });
  child.kill('SIGSTOP');
  const held: Socket[] = [];
  // Fill the accept queue: connections complete until it is full, then one stalls.
  for (let i = 0; i < 16; i++) {
    const socket = connect({ host, port: bound });
    socket.on('error', () => undefined);
    held.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return { host, port: bound, close: () => stop(child, held) };
  }
  await stop(child, held);
  throw new Error(`the accept queue on ${host}:${bound} never filled`);
}

async function stop(child: ChildProcess, held: Socket[]): Promise<void> {
  for (const socket of held) socket.destroy();
  // A child that already exited (or was killed by a signal) sends no second exit event.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
