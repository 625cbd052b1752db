import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from './webhook-sender';
import { RefusedTargetError, WebhookTargetPolicy } from './webhook-target';

const strict = new WebhookTargetPolicy({ allowPrivate: false });
const lenient = new WebhookTargetPolicy({ allowPrivate: true });

describe('webhook target policy', () => {
  it.each([
    // Link-local and cloud metadata: refused whatever the setting.
    { address: '169.254.169.254', byDefault: true, withPrivate: true },
    { address: '169.254.0.1', byDefault: true, withPrivate: true },
    { address: '100.100.100.200', byDefault: true, withPrivate: true },
    { address: '168.63.129.16', byDefault: true, withPrivate: true },
    { address: 'fe80::1', byDefault: true, withPrivate: true },
    { address: 'fe80::1%eth0', byDefault: true, withPrivate: true },
    { address: 'fd00:ec2::254', byDefault: true, withPrivate: true },
    { address: '::ffff:169.254.169.254', byDefault: true, withPrivate: true },
    { address: '::ffff:a9fe:a9fe', byDefault: true, withPrivate: true },
    { address: '64:ff9b::a9fe:a9fe', byDefault: true, withPrivate: true },
    // Loopback and private: refused by default, allowed with WEBHOOK_ALLOW_PRIVATE_TARGETS.
    { address: '127.0.0.1', byDefault: true, withPrivate: false },
    { address: '127.9.9.9', byDefault: true, withPrivate: false },
    { address: '::1', byDefault: true, withPrivate: false },
    { address: '::ffff:127.0.0.1', byDefault: true, withPrivate: false },
    { address: '0.0.0.0', byDefault: true, withPrivate: false },
    { address: '10.1.2.3', byDefault: true, withPrivate: false },
    { address: '172.16.0.1', byDefault: true, withPrivate: false },
    { address: '192.168.1.10', byDefault: true, withPrivate: false },
    { address: '100.64.0.1', byDefault: true, withPrivate: false },
    { address: 'fd12:3456::1', byDefault: true, withPrivate: false },
    { address: '100.100.100.201', byDefault: true, withPrivate: false },
    { address: 'fd00:ec2::253', byDefault: true, withPrivate: false },
    // Public: always allowed.
    { address: '93.184.216.34', byDefault: false, withPrivate: false },
    { address: '2606:2800:220:1::1', byDefault: false, withPrivate: false },
  ])('$address refused by default: $byDefault, with private allowed: $withPrivate', ({ address, byDefault, withPrivate }) => {
    expect(strict.refusedAddress(address) !== null).toBe(byDefault);
    expect(lenient.refusedAddress(address) !== null).toBe(withPrivate);
  });

  it('names the setting that would allow a private target, and none for a metadata one', () => {
    expect(strict.refusedAddress('127.0.0.1')).toBe('127.0.0.1 is a loopback address (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows loopback and private targets)');
    expect(lenient.refusedAddress('169.254.169.254')).toBe('169.254.169.254 is a link-local or cloud metadata address');
  });

  it.each([
    { url: 'http://169.254.169.254/latest/meta-data/', byDefault: true, withPrivate: true },
    { url: 'http://[fe80::1]:8080/', byDefault: true, withPrivate: true },
    { url: 'http://[::ffff:169.254.169.254]/', byDefault: true, withPrivate: true },
    { url: 'http://127.0.0.1:6379/', byDefault: true, withPrivate: false },
    { url: 'http://2130706433/', byDefault: true, withPrivate: false },
    { url: 'http://[::1]:9000/hook', byDefault: true, withPrivate: false },
    { url: 'http://localhost:6379/', byDefault: true, withPrivate: false },
    { url: 'http://LOCALHOST./', byDefault: true, withPrivate: false },
    { url: 'http://redis.localhost/', byDefault: true, withPrivate: false },
    { url: 'http://10.0.0.5:8080/hook', byDefault: true, withPrivate: false },
    { url: 'https://hooks.example/x', byDefault: false, withPrivate: false },
    { url: 'https://localhost.example/x', byDefault: false, withPrivate: false },
  ])('judges $url before any connection', ({ url, byDefault, withPrivate }) => {
    expect(strict.refusedUrl(new URL(url)) !== null).toBe(byDefault);
    expect(lenient.refusedUrl(new URL(url)) !== null).toBe(withPrivate);
  });

  it('resolves host names and refuses them when an address they resolve to is refused', async () => {
    const lookupWith = (policy: WebhookTargetPolicy) =>
      promisify((host: string, callback: (error: NodeJS.ErrnoException | null, address: unknown) => void) =>
        policy.lookup(host, { all: true }, (error, address) => callback(error, address)),
      );
    await expect(lookupWith(lenient)('localhost')).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
    await expect(lookupWith(strict)('localhost')).rejects.toBeInstanceOf(RefusedTargetError);
    // An IP literal goes through lookup unresolved: the policy still sees it.
    await expect(lookupWith(lenient)('169.254.169.254')).rejects.toBeInstanceOf(RefusedTargetError);
  });
});

describe('the sender applies the policy to the address it connects to', () => {
  let server: Server;
  let port: number;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a host name that resolves to loopback by default, without sending a byte', async () => {
    const sender = new WebhookSender({ webhookAllowPrivateTargets: false });
    try {
      // Not an IP literal: only the resolved address shows it is loopback.
      const result = await sender.send({ url: `http://localhost:${port}/hook`, headers: {}, body: '{}', timeoutMs: 2_000 });
      expect(result).toMatchObject({ status: null, refused: true });
      expect(result.error).toMatch(/^refused target: .* is a loopback address/);
      expect(requests).toBe(0);
    } finally {
      await sender.onApplicationShutdown();
    }
  });

  it('connects to it when private targets are allowed', async () => {
    const sender = new WebhookSender({ webhookAllowPrivateTargets: true });
    try {
      const result = await sender.send({ url: `http://localhost:${port}/hook`, headers: {}, body: '{}', timeoutMs: 2_000 });
      expect(result).toMatchObject({ status: 204, refused: false });
      expect(requests).toBe(1);
    } finally {
      await sender.onApplicationShutdown();
    }
  });
});
