import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMonitorSpec, evaluate, probe, type HostResolver } from '@crosscheck/checks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsServersResolver } from './dns-servers-resolver';

/**
 * A real DNS server: Debian's dnsmasq on a loopback address and a free port, answering only from
 * a hosts file (`--local=/test/` makes it authoritative for `.test`, so a name with no AAAA gets
 * NODATA and an unknown one NXDOMAIN instead of REFUSED for want of an upstream).
 */
const DNS_ADDRESS = '127.0.0.54';
const DNSMASQ = '/usr/sbin/dnsmasq';

let dir: string;
let dnsmasq: ChildProcess;
let dnsmasqLog = '';
let resolver: HostResolver;
const servers: Server[] = [];

/** A UDP port on the DNS address that is free now (bound, then released). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, DNS_ADDRESS, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function serve(address: string, port = 0): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Until dnsmasq answers (it reads the hosts file after binding): an awaited condition, no fixed sleep. */
async function answering(resolve: HostResolver): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      await resolve('svc.test');
      return;
    } catch (error) {
      if (Date.now() > until || dnsmasq.exitCode !== null) throw new Error(`dnsmasq did not answer: ${String(error)}\n${dnsmasqLog}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosscheck-dnsmasq-'));
  const hosts = join(dir, 'hosts');
  writeFileSync(
    hosts,
    ['127.0.0.21 svc.test', '127.0.0.22 svc.test', '127.0.0.23 pair.test', '127.0.0.24 pair.test', '::1 dual.test', '127.0.0.25 dual.test', ''].join('\n'),
  );
  const port = await freeUdpPort();
  dnsmasq = spawn(
    DNSMASQ,
    [
      '--no-daemon',
      `--port=${port}`,
      `--listen-address=${DNS_ADDRESS}`,
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${hosts}`,
      '--local=/test/',
      '--conf-file=/dev/null',
      `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  dnsmasq.stdout?.on('data', (chunk: Buffer) => (dnsmasqLog += chunk.toString()));
  dnsmasq.stderr?.on('data', (chunk: Buffer) => (dnsmasqLog += chunk.toString()));
  resolver = dnsServersResolver([`${DNS_ADDRESS}:${port}`], { timeoutMs: 500, tries: 1 });
  await answering(resolver);
}, 20_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  if (dnsmasq && dnsmasq.exitCode === null) {
    const exited = new Promise<void>((resolve) => dnsmasq.once('exit', () => resolve()));
    dnsmasq.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const sorted = <T extends { address: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.address.localeCompare(b.address));

describe('dnsServersResolver against dnsmasq', () => {
  it('gives both A records of a round-robin name, tolerating that it has no AAAA', async () => {
    expect(sorted(await resolver('svc.test'))).toEqual([
      { address: '127.0.0.21', family: 4 },
      { address: '127.0.0.22', family: 4 },
    ]);
  });

  it('gives AAAA before A for a dual-stack name', async () => {
    expect(await resolver('dual.test')).toEqual([
      { address: '::1', family: 6 },
      { address: '127.0.0.25', family: 4 },
    ]);
  });

  it('fails an unknown name with ENOTFOUND, which the probe reports as dns_failure', async () => {
    await expect(resolver('missing.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const observation = await probe(compileMonitorSpec({ url: 'http://missing.test/', cacheBypass: false }), { resolver });
    expect(observation.error).toMatchObject({ code: 'dns_failure', phase: 'dns' });
  });

  it('passes on a server that does not answer', async () => {
    const silent = dnsServersResolver([`${DNS_ADDRESS}:${await freeUdpPort()}`], { timeoutMs: 100, tries: 1 });
    await expect(silent('svc.test')).rejects.toMatchObject({ code: expect.stringMatching(/^E(TIMEOUT|CONNREFUSED)$/) });
  });

  it('probe + evaluate: one dead member of svc.test is address_down, named, and the verdict degraded', async () => {
    const port = await serve('127.0.0.21');
    const spec = compileMonitorSpec({ url: `http://svc.test:${port}/health` });
    const observation = await probe(spec, { resolver });

    expect(observation.response?.status).toBe(200);
    expect(observation.remoteAddress).toBe('127.0.0.21');
    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('degraded');
    const cause = verdict.causes.find((c) => c.code === 'address_down');
    expect(cause?.message).toBe('1 of 2 addresses of svc.test is down: 127.0.0.22 refused the connection; users reach it at random');
    expect(cause?.evidence['deadAddresses']).toEqual(['127.0.0.22']);
    expect(sorted(verdict.evidence.addresses ?? []).map((a) => [a.address, a.ok])).toEqual([
      ['127.0.0.21', true],
      ['127.0.0.22', false],
    ]);
  });

  it('probe + evaluate: both members alive is up, with no address_down', async () => {
    const port = await serve('127.0.0.23');
    await serve('127.0.0.24', port);
    const spec = compileMonitorSpec({ url: `http://pair.test:${port}/health` });
    const verdict = evaluate(spec, await probe(spec, { resolver }));

    expect(verdict.status).toBe('up');
    expect(verdict.causes.map((c) => c.code)).not.toContain('address_down');
    expect(verdict.evidence.addresses?.map((a) => a.ok)).toEqual([true, true]);
  });

  it('probe + evaluate: IPv6 ::1 refusing while 127.0.0.25 answers reaches IPv4 by Happy Eyeballs, ::1 named', async () => {
    const port = await serve('127.0.0.25');
    const spec = compileMonitorSpec({ url: `http://dual.test:${port}/health` });
    const observation = await probe(spec, { resolver });

    expect(observation.remoteAddress).toBe('127.0.0.25');
    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('degraded');
    expect(verdict.causes.find((c) => c.code === 'address_down')?.message).toBe(
      '1 of 2 addresses of dual.test is down: ::1 refused the connection; users reach it at random',
    );
  });
});
