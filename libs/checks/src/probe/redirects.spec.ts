import { describe, expect, it } from 'vitest';
import type { HopRequest } from './hop-request';
import { isRedirectStatus, planRedirect, type RedirectState } from './redirects';

function request(url: string, method: HopRequest['method'] = 'GET', body?: string): HopRequest {
  return {
    url: new URL(url),
    method,
    headers: { authorization: 'Bearer t', cookie: 'a=1', 'content-type': 'application/json', 'x-custom': 'kept', 'user-agent': 'mine', accept: '*/*' },
    userHeaders: ['authorization', 'cookie', 'content-type', 'x-custom', 'user-agent'],
    ...(body !== undefined ? { body } : {}),
  };
}

const fresh = (visited: string[] = ['GET https://a.test/start'], followed = 0, maxRedirects = 5): RedirectState => ({
  visited: new Set(visited),
  followed,
  maxRedirects,
});

describe('isRedirectStatus', () => {
  it.each([
    [301, true], [302, true], [303, true], [307, true], [308, true],
    [300, false], [304, false], [305, false], [200, false], [404, false],
  ])('%i -> %s', (status, expected) => {
    expect(isRedirectStatus(status)).toBe(expected);
  });
});

describe('planRedirect', () => {
  it.each([
    { location: '/next', expected: 'https://a.test/next' },
    { location: 'next?x=1', expected: 'https://a.test/next?x=1' },
    { location: '//b.test/p', expected: 'https://b.test/p' },
    { location: 'http://b.test/p#frag', expected: 'http://b.test/p' },
    { location: '  /padded  ', expected: 'https://a.test/padded' },
  ])('resolves $location against the current URL', ({ location, expected }) => {
    const plan = planRedirect(request('https://a.test/start'), 302, location, fresh());
    expect(plan.kind === 'follow' && plan.next.url.href).toBe(expected);
    expect(plan.kind === 'follow' && plan.hop).toEqual({ url: 'https://a.test/start', status: 302, location });
  });

  it.each([
    { location: undefined, code: 'invalid_redirect' },
    { location: '', code: 'invalid_redirect' },
    { location: 'javascript:alert(1)', code: 'invalid_redirect' },
    { location: 'ftp://a.test/x', code: 'invalid_redirect' },
    { location: 'http://[zz', code: 'invalid_redirect' },
    { location: 'https://user:pass@b.test/', code: 'invalid_redirect' },
    { location: '/start', code: 'redirect_loop' },
    { location: 'https://a.test/start#other', code: 'redirect_loop' },
  ])('fails on $location with $code', ({ location, code }) => {
    const plan = planRedirect(request('https://a.test/start'), 302, location, fresh());
    expect(plan.kind === 'fail' && plan.code).toBe(code);
  });

  it('tells post/redirect/get from a loop: the same URL with another method is another request', () => {
    const post = request('https://a.test/form', 'POST', 'x=1');
    const visited = fresh(['POST https://a.test/form']);
    expect(planRedirect(post, 303, '/form', visited)).toMatchObject({ kind: 'follow', next: { method: 'GET' } });
    expect(planRedirect(post, 307, '/form', visited)).toMatchObject({ kind: 'fail', code: 'redirect_loop' });
  });

  it('stops at the cap, after the loop check', () => {
    expect(planRedirect(request('https://a.test/start'), 302, '/next', fresh(undefined, 2, 2))).toMatchObject({
      kind: 'fail',
      code: 'too_many_redirects',
    });
    expect(planRedirect(request('https://a.test/start'), 302, '/next', fresh(undefined, 0, 0))).toMatchObject({
      kind: 'fail',
      code: 'too_many_redirects',
    });
    expect(planRedirect(request('https://a.test/start'), 302, '/next', fresh(undefined, 1, 2)).kind).toBe('follow');
  });

  it.each([
    { status: 301, method: 'POST' as const, method2: 'GET', body: false },
    { status: 302, method: 'POST' as const, method2: 'GET', body: false },
    { status: 303, method: 'POST' as const, method2: 'GET', body: false },
    { status: 303, method: 'PUT' as const, method2: 'GET', body: false },
    { status: 303, method: 'HEAD' as const, method2: 'HEAD', body: true },
    { status: 301, method: 'PUT' as const, method2: 'PUT', body: true },
    { status: 307, method: 'POST' as const, method2: 'POST', body: true },
    { status: 308, method: 'DELETE' as const, method2: 'DELETE', body: true },
  ])('$status turns $method into $method2 (body and its headers kept: $body)', ({ status, method, method2, body }) => {
    const plan = planRedirect(request('https://a.test/start', method, method === 'HEAD' ? undefined : '{}'), status, '/next', fresh());
    if (plan.kind !== 'follow') throw new Error('expected to follow');
    expect(plan.next.method).toBe(method2);
    expect(plan.next.body !== undefined).toBe(body && method !== 'HEAD');
    expect('content-type' in plan.next.headers).toBe(body);
  });

  it.each([
    { location: '/next', crossOrigin: false },
    { location: 'https://a.test:443/next', crossOrigin: false },
    { location: 'http://a.test/next', crossOrigin: true },
    { location: 'https://a.test:8443/next', crossOrigin: true },
    { location: 'https://b.test/next', crossOrigin: true },
  ])('to $location drops the monitor\'s headers: $crossOrigin', ({ location, crossOrigin }) => {
    const plan = planRedirect(request('https://a.test/start'), 302, location, fresh());
    if (plan.kind !== 'follow') throw new Error('expected to follow');
    expect(plan.next.headers['authorization']).toBe(crossOrigin ? undefined : 'Bearer t');
    expect(plan.next.headers['cookie']).toBe(crossOrigin ? undefined : 'a=1');
    expect(plan.next.headers['x-custom']).toBe(crossOrigin ? undefined : 'kept');
    // A default the monitor had overridden comes back; the probe's own headers stay.
    expect(plan.next.headers['user-agent']).toBe(crossOrigin ? 'crosscheck-probe/0.1' : 'mine');
    expect(plan.next.headers['accept']).toBe('*/*');
    expect(plan.next.userHeaders).toEqual(crossOrigin ? [] : ['authorization', 'cookie', 'content-type', 'x-custom', 'user-agent']);
  });

  it('lets the monitor\'s headers follow to another origin when allowed, credentials excepted', () => {
    const plan = planRedirect(request('https://a.test/start'), 307, 'https://b.test/next', { ...fresh(), forwardHeadersCrossOrigin: true });
    if (plan.kind !== 'follow') throw new Error('expected to follow');
    expect(plan.next.headers).toMatchObject({ 'x-custom': 'kept', 'user-agent': 'mine', 'content-type': 'application/json' });
    expect(plan.next.headers['authorization']).toBeUndefined();
    expect(plan.next.headers['cookie']).toBeUndefined();
    expect(plan.next.userHeaders).toEqual(['content-type', 'x-custom', 'user-agent']);
  });
});
