/**
 * A real DNS server for the suites: Debian's dnsmasq on a loopback address and a free port,
 * answering only for the names it is given (from a hosts file, several addresses per name
 * allowed) and authoritative for their domain (`--local`), so a name it does not know is NXDOMAIN
 * and a family it has no address of is NODATA, as a real zone answers. Nothing is forwarded
 * anywhere (`--no-resolv`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLoopback, waitUntil } from './net';
import { makeRunDir, resolveBinary } from './processes';

export interface DnsServer {
  /** `127.0.0.53:15353`: what `PROBE_DNS_SERVERS` takes. */
  readonly address: string;
  /** Stops it; idempotent. */
  stop(): Promise<void>;
  /** Its output, for failure messages. */
  output(): string;
}

/**
 * Starts dnsmasq answering `records` (name → addresses) for `domain` and waits until it answers
 * the first name. `host` must be a loopback address; the port is a free UDP one on it.
 */
export async function startDnsServer(options: { host: string; domain: string; records: Record<string, readonly string[]> }): Promise<DnsServer> {
  assertLoopback(options.host);
  const command = resolveBinary('dnsmasq', 'dnsmasq-base');
  const dir = makeRunDir('dnsmasq');
  const hosts = join(dir, 'hosts');
  writeFileSync(
    hosts,
    Object.entries(options.records)
      .flatMap(([name, addresses]) => addresses.map((address) => `${address} ${name}`))
      .join('\n') + '\n',
  );
  chmodSync(dir, 0o755);
  chmodSync(hosts, 0o644);
  const first = Object.keys(options.records)[0];
  if (first === undefined) throw new Error('startDnsServer needs at least one record');

  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const child = spawn(
      command,
      [
        '--keep-in-foreground',
        '--log-facility=-',
        `--port=${port}`,
        `--listen-address=${options.host}`,
        '--bind-interfaces',
        '--no-resolv',
        '--no-hosts',
        `--addn-hosts=${hosts}`,
        `--local=/${options.domain}/`,
        '--conf-file=/dev/null',
        `--pid-file=${join(dir, 'dnsmasq.pid')}`,
        ...(process.getuid?.() === 0 ? ['--user=root', '--group=root'] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // A suite that dies must not leave a DNS server behind.
    const kill = (): void => void child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const address = `${options.host}:${port}`;
    const resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([address]);
    const ready = await waitUntil(
      `dnsmasq on ${address} to answer ${first}`,
      async () => {
        if (child.exitCode !== null) return 'exited';
        return (await resolver.resolve4(first).catch(() => undefined)) ? 'ready' : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    if (ready === 'ready') return { address, stop: () => stopChild(child, dir), output: () => output };
    // The port was taken (dnsmasq exits at once): try another.
    if (attempt >= 5) throw new Error(`dnsmasq did not start:\n${output}`);
  }
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
