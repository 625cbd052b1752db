import { describe, expect, it } from 'vitest';
import type { CertificateFacts, Observation } from '../observation/observation';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { bypassOf, observationOf, specOf } from '../testing/observation-fixtures';
import { CAUSE_CODES, type CauseCode, type VerdictStatus } from '../verdict/verdict';
import { fingerprintOf } from '../evaluate/fingerprint-of';
import { learnBaseline } from '../baseline/learn-baseline';
import { specHashOf } from '../baseline/spec-hash';
import { evaluate, evaluateWithFingerprint } from './evaluate';

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const HEALTHY = { headers: { 'content-type': 'application/json' }, body: '{"status":"ok","checks":{"db":{"status":"ok"}}}' };
const PAGE = { headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Acme</title><h1>Welcome to Acme</h1>' };

function certificate(daysRemaining: number): CertificateFacts {
  return {
    subject: 'status.example.com',
    issuer: "Let's Encrypt R11",
    altNames: ['status.example.com'],
    validFrom: '2026-09-01T00:00:00.000Z',
    validTo: '2026-11-06T12:00:00.000Z',
    daysRemaining,
    fingerprint256: 'AA:BB',
    authorized: true,
  };
}

interface Case {
  name: string;
  spec?: Partial<MonitorSpecInput>;
  observation: Observation;
  status: VerdictStatus;
  /** The causes expected, in order, as `code/severity`. */
  causes: string[];
}

const cases: Case[] = [
  { name: 'a healthy health document', observation: observationOf(HEALTHY), status: 'up', causes: [] },
  { name: 'a plain page with a healthy bypass behind no cache', observation: observationOf({ ...PAGE, bypass: bypassOf(PAGE) }), status: 'up', causes: [] },
  {
    name: 'timeout',
    observation: observationOf({ outcome: { response: undefined, error: { code: 'timeout', phase: 'body', url: 'https://status.example.com/health', message: 'no last byte within 10000 ms' } } }),
    status: 'down',
    causes: ['timeout/down'],
  },
  {
    name: 'connection refused',
    observation: observationOf({ outcome: { response: undefined, error: { code: 'connection_refused', phase: 'connect', url: 'https://status.example.com/health', message: 'connect ECONNREFUSED 127.0.0.2:443' } } }),
    status: 'down',
    causes: ['connection_refused/down'],
  },
  {
    name: 'redirect loop is a redirect failure',
    observation: observationOf({ outcome: { response: undefined, error: { code: 'redirect_loop', phase: 'headers', url: 'https://status.example.com/a', message: 'redirect to an already visited URL' } } }),
    status: 'down',
    causes: ['redirect_failure/down'],
  },
  {
    name: 'redirect chain ending in 404',
    observation: observationOf({
      status: 404,
      body: 'not here',
      outcome: { finalUrl: 'https://status.example.com/new-health', redirects: [{ url: 'https://status.example.com/health', status: 301, location: '/new-health' }] },
    }),
    status: 'down',
    causes: ['redirect_failure/down'],
  },
  { name: 'plain 500', observation: observationOf({ status: 500, body: 'Internal error' }), status: 'down', causes: ['status_mismatch/down'] },
  {
    name: 'a health document failing with 503 names the dependency, not the status',
    observation: observationOf({ status: 503, headers: { 'content-type': 'application/json' }, body: '{"status":"DOWN","components":{"db":{"status":"DOWN"},"ping":{"status":"UP"}}}' }),
    status: 'down',
    causes: ['health_failed/down'],
  },
  { name: '401 is an auth wall', observation: observationOf({ status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }), status: 'down', causes: ['auth_wall/down'] },
  {
    name: 'nginx 502 page served as 200',
    observation: observationOf({ status: 200, headers: { 'content-type': 'text/html', server: 'nginx/1.22.1' }, body: NGINX_502 }),
    status: 'down',
    causes: ['lb_error_page/down'],
  },
  {
    name: 'stale cache: cached 200 while the bypass gets the proxy error page',
    observation: observationOf({ ...PAGE, headers: { ...PAGE.headers, 'x-cache-status': 'STALE' }, bypass: bypassOf({ status: 502, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: NGINX_502 }) }),
    status: 'down',
    causes: ['stale_cache/down'],
  },
  {
    name: 'stale cache without any cache header: the bypass is refused',
    observation: observationOf({ ...PAGE, bypass: bypassOf({ outcome: { response: undefined, error: { code: 'connection_refused', phase: 'connect', url: 'x', message: 'refused' } } }) }),
    status: 'down',
    causes: ['stale_cache/down'],
  },
  {
    name: 'a cache hit with a healthy bypass is up',
    observation: observationOf({ ...PAGE, headers: { ...PAGE.headers, 'x-cache': 'HIT', age: '40' }, bypass: bypassOf(PAGE) }),
    status: 'up',
    causes: ['cached_response/info'],
  },
  {
    name: 'a bypass rejected with 404 proves nothing',
    observation: observationOf({ ...PAGE, bypass: bypassOf({ status: 404, body: 'unknown parameter' }) }),
    status: 'up',
    causes: ['bypass_inconclusive/info'],
  },
  {
    name: 'the cache admits STALE and no bypass was made',
    spec: { cacheBypass: false },
    observation: observationOf({ ...PAGE, headers: { ...PAGE.headers, 'cf-cache-status': 'STALE' } }),
    status: 'degraded',
    causes: ['stale_cache/degraded'],
  },
  {
    name: 'content older than allowed behind a healthy origin',
    spec: { expect: { maxContentAgeSeconds: 3600 } },
    observation: observationOf({ ...PAGE, headers: { ...PAGE.headers, age: '7200', 'x-cache': 'HIT' }, bypass: bypassOf(PAGE) }),
    status: 'degraded',
    causes: ['cached_response/info', 'stale_cache/degraded'],
  },
  { name: 'slow', observation: observationOf({ ...HEALTHY, totalMs: 4200 }), status: 'degraded', causes: ['slow/degraded'] },
  { name: 'too slow', spec: { expect: { latency: { degradedMs: 1000, downMs: 4000 } } }, observation: observationOf({ ...HEALTHY, totalMs: 4200 }), status: 'down', causes: ['slow/down'] },
  { name: 'body over the cap is noted', observation: observationOf({ ...PAGE, bodyTruncated: true }), status: 'up', causes: ['body_truncated/info'] },
  { name: 'certificate expiring in 5 days', observation: observationOf({ ...HEALTHY, outcome: { tls: certificate(5) } }), status: 'degraded', causes: ['cert_expiring/degraded'] },
  { name: 'certificate with 60 days left', observation: observationOf({ ...HEALTHY, outcome: { tls: certificate(60) } }), status: 'up', causes: [] },
  {
    name: 'a detector switched off stays silent',
    spec: { detectors: { healthDocument: false } },
    observation: observationOf({ headers: { 'content-type': 'application/json' }, body: '{"status":"ok","database":"disconnected"}' }),
    status: 'up',
    causes: [],
  },
  {
    name: 'the lying health endpoint: 200 with "database": "disconnected"',
    observation: observationOf({ headers: { 'content-type': 'application/json' }, body: '{"status":"ok","database":"disconnected"}' }),
    status: 'down',
    causes: ['health_failed/down'],
  },
  {
    name: 'json assertion failing',
    spec: { expect: { json: [{ path: '$.version', value: '2.0.0' }] } },
    observation: observationOf({ headers: { 'content-type': 'application/json' }, body: '{"version":"1.9.0"}' }),
    status: 'down',
    causes: ['json_assertion_failed/down'],
  },
  {
    name: 'a 304 to a conditional request is healthy and its body is not judged',
    spec: { conditional: true, expect: { body: { contains: ['Welcome'] } } },
    observation: observationOf({ status: 304, outcome: { conditional: { ifNoneMatch: '"v1"' } } }),
    status: 'up',
    causes: [],
  },
];

/** The README's table of lies caught: kept true by this test. */
const README_EXAMPLES: Case[] = [
  {
    name: 'README: IETF health+json with a warning check is degraded',
    observation: observationOf({ headers: { 'content-type': 'application/health+json' }, body: '{"status":"pass","checks":{"db:connections":[{"status":"warn"}]}}' }),
    status: 'degraded',
    causes: ['health_degraded/degraded'],
  },
  { name: "README: ASP.NET Core's Unhealthy", observation: observationOf({ headers: { 'content-type': 'text/plain' }, body: 'Unhealthy' }), status: 'down', causes: ['health_failed/down'] },
  {
    name: 'README: error body with a 200',
    observation: observationOf({ headers: { 'content-type': 'application/json' }, body: '{"error":"User not found","code":404}' }),
    status: 'down',
    causes: ['soft_error/down'],
  },
  {
    name: "README: Slack's ok:false envelope",
    observation: observationOf({ headers: { 'content-type': 'application/json' }, body: '{"ok":false,"error":"invalid_auth"}' }),
    status: 'down',
    causes: ['envelope_failure/down'],
  },
  {
    name: 'README: redirected to Entra ID sign-in',
    observation: observationOf({
      ...PAGE,
      outcome: {
        finalUrl: 'https://login.microsoftonline.com/common/oauth2/authorize?client_id=x&redirect_uri=https%3A%2F%2Fstatus.example.com%2F',
        redirects: [{ url: 'https://status.example.com/health', status: 302, location: 'https://login.microsoftonline.com/common/oauth2/authorize?client_id=x' }],
      },
    }),
    status: 'down',
    causes: ['auth_wall/down'],
  },
];

describe('evaluate', () => {
  it.each([...cases, ...README_EXAMPLES])('$name', ({ spec, observation, status, causes }) => {
    const verdict = evaluate(specOf({ url: observation.url, ...spec }), observation);
    expect(verdict.causes.map((c) => `${c.code}/${c.severity}`)).toEqual(causes);
    expect(verdict.status).toBe(status);
  });

  it('keeps the error page vendor of the bypass in the stale_cache cause, not in the key evidence', () => {
    const observation = observationOf({ ...PAGE, headers: { ...PAGE.headers, 'x-cache-status': 'STALE' }, bypass: bypassOf({ status: 502, headers: { server: 'nginx/1.22.1' }, body: NGINX_502 }) });
    const verdict = evaluate(specOf(), observation);
    expect(verdict.evidence).toMatchObject({ httpStatus: 200, bypassStatus: 502, cache: { hit: true, signals: ['x-cache-status: STALE'] } });
    // Users got the cached page, not nginx's: the vendor belongs to the bypass, in the cause.
    expect(verdict.evidence.errorPageVendor).toBeUndefined();
    const stale = verdict.causes[0];
    expect(stale?.evidence).toMatchObject({ bypassStatus: 502, bypassCauses: ['lb_error_page'], bypassErrorPageVendor: 'nginx' });
  });

  it('shows every expectation with the value seen, also when the probe failed', () => {
    const spec = specOf({ expect: { json: [{ path: '$.status', value: 'ok' }] } });
    const up = evaluate(spec, observationOf(HEALTHY));
    expect(up.expectations.map((e) => [e.kind, e.passed, e.actual])).toEqual([
      ['status', true, '200'],
      ['json', true, '"ok"'],
      ['latency', true, '40 ms'],
    ]);
    const failed = evaluate(spec, observationOf({ outcome: { response: undefined, error: { code: 'dns_failure', phase: 'dns', url: 'x', message: 'ENOTFOUND' } } }));
    expect(failed.expectations.every((e) => e.passed === null)).toBe(true);
    expect(failed.evidence.probeError).toBe('dns_failure');
  });

  it('is deterministic: the same observation and spec give the same verdict', () => {
    const observation = observationOf({ ...PAGE, headers: { ...PAGE.headers, age: '30', via: '1.1 varnish' }, bypass: bypassOf(PAGE) });
    const spec = specOf();
    expect(evaluate(spec, structuredClone(observation))).toEqual(evaluate(spec, structuredClone(observation)));
  });

  it('never reports a code outside the published list', () => {
    const all = cases.flatMap(({ spec, observation }) => evaluate(specOf({ url: observation.url, ...spec }), observation).causes.map((c) => c.code));
    for (const code of all) expect(CAUSE_CODES).toContain(code satisfies CauseCode);
  });
});

describe('evaluateWithFingerprint', () => {
  it.each([...cases, ...README_EXAMPLES])('$name: the verdict of evaluate and the fingerprint of fingerprintOf', ({ spec, observation }) => {
    const compiled = specOf({ url: observation.url, ...spec });
    const { verdict, fingerprint } = evaluateWithFingerprint(compiled, observation);
    expect(verdict).toEqual(evaluate(compiled, observation));
    expect(fingerprint).toEqual(fingerprintOf(compiled, observation));
  });

  it('gives the same with a learned baseline in play, and the fingerprint it judged against it', () => {
    const compiled = specOf();
    const healthy = observationOf(HEALTHY);
    let baseline;
    for (let round = 1; round <= 3; round++) {
      baseline = learnBaseline(baseline, { fingerprint: fingerprintOf(compiled, healthy), verdict: evaluate(compiled, healthy), specHash: specHashOf({ url: compiled.url }), scheduledAt: round }, compiled.baseline);
    }
    const page = observationOf(PAGE);
    const { verdict, fingerprint } = evaluateWithFingerprint(compiled, page, { baseline });
    expect(verdict).toEqual(evaluate(compiled, page, { baseline }));
    expect(verdict.causes.map((c) => c.code)).toContain('content_changed');
    expect(fingerprint).toEqual(fingerprintOf(compiled, page));
    expect(fingerprint?.kind).toBe('html');
  });
});
