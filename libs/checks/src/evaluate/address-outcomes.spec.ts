import { describe, expect, it } from 'vitest';
import type { AddressOutcome, ProbeErrorCode } from '../observation/observation';
import { bypassOf, observationOf, specOf } from '../testing/observation-fixtures';
import { evaluate } from './evaluate';

const HEALTHY = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' };

function answered(address: string, input: Parameters<typeof bypassOf>[0] = HEALTHY): AddressOutcome {
  return { address, family: address.includes(':') ? 6 : 4, outcome: bypassOf({ ...input, url: 'https://svc.test/health' }) };
}

function failed(address: string, code: ProbeErrorCode): AddressOutcome {
  return {
    address,
    family: address.includes(':') ? 6 : 4,
    outcome: bypassOf({ url: 'https://svc.test/health', outcome: { response: undefined, error: { code, phase: 'connect', url: 'https://svc.test/health', message: code } } }),
  };
}

function verdictWith(addresses: AddressOutcome[], spec = specOf({ url: 'https://svc.test/health' })) {
  return evaluate(spec, { ...observationOf({ ...HEALTHY, url: 'https://svc.test/health' }), addresses });
}

describe('evaluate: each address of a name', () => {
  it.each<[string, AddressOutcome[], string | undefined]>([
    ['all healthy', [answered('127.0.0.11'), answered('127.0.0.12')], undefined],
    ['one refused', [answered('127.0.0.11'), failed('127.0.0.12', 'connection_refused')], '1 of 2 addresses of svc.test is down: 127.0.0.12 refused the connection; users reach it at random'],
    ['one timed out', [failed('127.0.0.11', 'timeout'), answered('127.0.0.12')], '1 of 2 addresses of svc.test is down: 127.0.0.11 did not answer in time; users reach it at random'],
    [
      'IPv6 broken, IPv4 fine',
      [failed('2001:db8::1', 'connection_failed'), failed('2001:db8::2', 'tls_error'), answered('192.0.2.1')],
      '2 of 3 addresses of svc.test are down: 2001:db8::1 could not be reached, 2001:db8::2 failed the TLS handshake; users reach it at random',
    ],
    ['one answering 502', [answered('127.0.0.11'), answered('127.0.0.12', { status: 502, headers: { 'content-type': 'text/plain' }, body: 'bad gateway' })], '1 of 2 addresses of svc.test is down: 127.0.0.12 answered 502; users reach it at random'],
    ['one 200 with a failed health document', [answered('127.0.0.11'), answered('127.0.0.12', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"down"}' })], '1 of 2 addresses of svc.test is down: 127.0.0.12 answered 200 (health_failed); users reach it at random'],
    ['every address dead: left to the user path', [failed('127.0.0.11', 'connection_refused'), failed('127.0.0.12', 'connection_refused')], undefined],
    ['a blocked address is not dead', [answered('127.0.0.11'), failed('169.254.0.9', 'blocked_target')], undefined],
  ])('%s', (_, addresses, message) => {
    const verdict = verdictWith(addresses);
    const cause = verdict.causes.find((c) => c.code === 'address_down');
    expect(cause?.message).toBe(message);
    if (message !== undefined) {
      expect(cause?.severity).toBe('degraded');
      expect(verdict.status).toBe('degraded');
    } else {
      expect(verdict.status).toBe('up');
    }
    expect(verdict.evidence.addresses).toHaveLength(addresses.length);
  });

  it('judges a member without latency: a slow member is not dead, and the verdict keeps its latency from the user path', () => {
    const slow = answered('127.0.0.12', { ...HEALTHY, totalMs: 60_000 });
    const verdict = verdictWith([answered('127.0.0.11'), slow], specOf({ url: 'https://svc.test/health', expect: { latency: { degradedMs: 100, downMs: 200 } } }));
    expect(verdict.status).toBe('up');
    expect(verdict.evidence.addresses?.map((a) => [a.address, a.ok, a.totalMs])).toEqual([
      ['127.0.0.11', true, 40],
      ['127.0.0.12', true, 60_000],
    ]);
  });

  it('takes a member redirect as an answer when the monitor follows redirects, but not a redirect without a Location', () => {
    const redirect = answered('127.0.0.12', { status: 301, headers: { location: '/elsewhere' }, body: '' });
    expect(verdictWith([answered('127.0.0.11'), redirect]).status).toBe('up');
    const broken = answered('127.0.0.12', { status: 301, headers: {}, body: '' });
    expect(verdictWith([answered('127.0.0.11'), broken]).causes.find((c) => c.code === 'address_down')?.message).toContain('127.0.0.12 answered 301');
  });

  it('without per-address outcomes, adds neither a cause nor evidence.addresses', () => {
    const verdict = evaluate(specOf(), observationOf(HEALTHY));
    expect(verdict.evidence).not.toHaveProperty('addresses');
    expect(verdict.evidence.protocol).toBe('1.1');
  });
});
