/**
 * Valid-ish monitors for the API fuzz: every field of the monitor spec, with the cross-field rules
 * a schema cannot say (an operator's value type, no body on GET, `downMs` above `degradedMs`)
 * mostly kept, so most inputs get past validation into storage, scheduling and the compiled spec;
 * the fuzz then mutates them into the invalid ones. URLs stay on loopback.
 */
import fc from 'fast-check';
import { loopbackUrl, trickyString } from './fuzz-values';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'get', 'Post'] as const;

/** Header names as a monitor may set them (token characters). */
const headerName = fc.oneof(
  fc.constantFrom('x-api-key', 'Authorization', 'accept', 'X-Request-Id', 'user-agent', 'cookie', 'x-auth-token', 'If-None-Match', 'host'),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,30}$/),
);

/** Header values: printable, odd bytes, unicode (which HTTP does not allow in a header). */
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('Bearer abc', '', ' leading', 'trailing ', 'é', '😀', '\t', 'a\u007fb', 'a\u0001b', 'x'.repeat(8_192), '\u00ff'),
);

/** Regular expressions: RE2 accepts most; some only look dangerous, some RE2 refuses. */
const regexSource = fc.oneof(
  { arbitrary: fc.constantFrom('^ok$', '"status":\\s*"ok"', '(?i)healthy', '\\p{L}+', '(a+)+$', '(a|aa)*b', '[\\s\\S]{0,100}', '^\\{', 'x{1000}', '.*'.repeat(50), '\\bOK\\b', 'é+', '😀'), weight: 12 },
  { arbitrary: fc.constantFrom('(a)\\1', '(?=x)', '[', '\\', 'a{2,1}', '(?P<n>a)(?P=n)'), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z.*+?()[\]|\\^$]{1,20}$/), weight: 1 },
);

const jsonPath = fc.oneof(
  { arbitrary: fc.constantFrom('$', '$.status', '$.checks.db.status', "$['a b']", '$[0]', '$.ünïcödé', '$.a.b.c.d.e.f.g.h', '$[-1]', '$.__proto__', '$.constructor.name'), weight: 6 },
  { arbitrary: fc.constantFrom('$..status', '$.a[*].b', '$[?(@.x)]', '$.', '$[', "$['"), weight: 1 },
  { arbitrary: fc.stringMatching(/^\$(\.[a-z]{1,8}|\[\d\]){0,4}$/), weight: 3 },
);

const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));

const jsonAssertion = fc.oneof(
  fc.record({ path: jsonPath, op: fc.constantFrom('exists', 'absent') }),
  fc.record({ path: jsonPath, op: fc.constantFrom('equals', 'notEquals', 'contains'), value: scalar }, { requiredKeys: ['path', 'value'] }),
  fc.record({ path: jsonPath, op: fc.constant('matches'), value: regexSource }),
  fc.record({ path: jsonPath, op: fc.constant('oneOf'), value: fc.array(scalar, { maxLength: 4 }) }),
  fc.record({ path: jsonPath, op: fc.constantFrom('lt', 'lte', 'gt', 'gte'), value: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) }),
);

const headerAssertion = fc.oneof(
  fc.record({ name: headerName, op: fc.constantFrom('exists', 'absent') }, { requiredKeys: ['name'] }),
  fc.record({ name: headerName, op: fc.constantFrom('equals', 'contains'), value: fc.string({ maxLength: 20 }) }),
  fc.record({ name: headerName, op: fc.constant('matches'), value: regexSource }),
);

const status = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom('2xx', '3xx', '200', '200-299', '500-599', '1xx'));

const latency = fc.integer({ min: 1, max: 60_000 }).chain((degradedMs) =>
  fc.record({ degradedMs: fc.constant(degradedMs), downMs: fc.integer({ min: degradedMs, max: degradedMs + 60_000 }) }, { requiredKeys: [] }),
);

/** A PEM-looking CA: mostly not a certificate at all. */
const caPem = fc.oneof(
  fc.constant('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
  fc.constant('not a pem'),
  fc.base64String({ maxLength: 200 }).map((body) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`),
);

const resolveEntry = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.tuple(fc.constantFrom('example.test', 'a.b', 'xn--bcher-kva.test'), fc.integer({ min: 1, max: 65_535 }), fc.constantFrom('127.0.0.1', '127.0.0.2', '[::1]', '::1', '0.0.0.0', '169.254.169.254'))
      .map(([host, port, address]) => `${host}:${port}:${address}`),
  },
  { arbitrary: fc.constantFrom('bad', 'a:99999:127.0.0.1', 'a:1:'), weight: 1 },
);

/** The fields a spec and a monitor add to the URL. */
export function monitorArbitrary(regions: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        name: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), trickyString.filter((value) => value.length > 0 && value.length <= 200)),
        url: loopbackUrl,
        regions: fc.uniqueArray(fc.constantFrom(...regions), { minLength: 1, maxLength: regions.length }),
        intervalSeconds: fc.integer({ min: 10, max: 86_400 }),
        method: fc.constantFrom(...METHODS),
        headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        body: fc.string({ maxLength: 200 }),
        timeoutMs: fc.integer({ min: 100, max: 120_000 }),
        followRedirects: fc.boolean(),
        maxRedirects: fc.integer({ min: 0, max: 20 }),
        maxBodyBytes: fc.integer({ min: 1_024, max: 16 * 1024 * 1024 }),
        maxHeaderBytes: fc.integer({ min: 1_024, max: 256 * 1024 }),
        tls: fc.record({ verify: fc.boolean(), ca: caPem, expiryWarningDays: fc.integer({ min: 0, max: 365 }) }, { requiredKeys: [] }),
        cacheBypass: fc.boolean(),
        conditional: fc.boolean(),
        resolve: fc.array(resolveEntry, { maxLength: 3 }),
        expect: fc.record(
          {
            status: fc.array(status, { minLength: 1, maxLength: 4 }),
            body: fc.record(
              {
                contains: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 }),
                notContains: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 }),
                matches: fc.array(regexSource, { maxLength: 3 }),
                notMatches: fc.array(regexSource, { maxLength: 3 }),
              },
              { requiredKeys: [] },
            ),
            json: fc.array(jsonAssertion, { maxLength: 4 }),
            headers: fc.array(headerAssertion, { maxLength: 3 }),
            latency,
            maxContentAgeSeconds: fc.integer({ min: 0, max: 86_400 * 365 }),
          },
          { requiredKeys: [] },
        ),
        detectors: fc.record(
          { healthDocument: fc.boolean(), softError: fc.boolean(), errorPage: fc.boolean(), cache: fc.boolean(), authWall: fc.boolean(), certificate: fc.boolean() },
          { requiredKeys: [] },
        ),
        reconcile: fc.record(
          { quorum: fc.double({ min: 0, max: 1, noNaN: true }), minRegions: fc.integer({ min: 1, max: 1_000 }), outageQuorum: fc.double({ min: 0, max: 1, noNaN: true }) },
          { requiredKeys: [] },
        ),
        incidents: fc.record(
          {
            openAfter: fc.integer({ min: 1, max: 100 }),
            resolveAfter: fc.integer({ min: 1, max: 100 }),
            updateAfter: fc.integer({ min: 1, max: 100 }),
            blindAfter: fc.integer({ min: 1, max: 100 }),
            openOnDegraded: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['name', 'url', 'regions', 'intervalSeconds'] },
    )
    .map((monitor) => {
      // A body on GET or HEAD is refused: keep that rule most of the time by dropping the body.
      const method = String(monitor.method ?? 'GET').toUpperCase();
      if ((method === 'GET' || method === 'HEAD') && monitor.body !== undefined) {
        const { body: _body, ...rest } = monitor;
        return rest;
      }
      return monitor;
    });
}
