import { describe, expect, it } from 'vitest';
import { contextOf } from '../../testing/observation-fixtures';
import { listHttpFixtures, loadHttpFixture, type HttpFixture } from './__fixtures__/load-http-fixture';
import { errorPageDetector } from './error-page.detector';
import { ERROR_PAGE_FINGERPRINTS, ERROR_PAGE_MAX_BODY_LENGTH, type ErrorPageCandidate } from './error-page-fingerprints';
import { recogniseErrorPage, type ErrorPageResponse } from './recognise-error-page';

type Expected = { vendor: string; page: string } | null;

/** Every fixture file and what it must be recognised as (`null`: nothing). */
const EXPECTED: Record<string, Expected> = {
  // Captured from the software installed here (capture.sh).
  'nginx-502-bad-gateway.http': { vendor: 'nginx', page: '502 Bad Gateway' },
  'nginx-502-server-tokens-off.http': { vendor: 'nginx', page: '502 Bad Gateway' },
  'nginx-503-service-unavailable.http': { vendor: 'nginx', page: '503 Service Temporarily Unavailable' },
  'nginx-504-gateway-time-out.http': { vendor: 'nginx', page: '504 Gateway Time-out' },
  'nginx-404-not-found.http': { vendor: 'nginx', page: '404 Not Found' },
  'nginx-50x-html-served-as-200.http': { vendor: 'nginx', page: 'default 50x.html' },
  'nginx-welcome-page.http': { vendor: 'nginx', page: 'default welcome page' },
  'haproxy-503-service-unavailable.http': { vendor: 'HAProxy', page: '503 Service Unavailable' },
  'haproxy-502-bad-gateway.http': { vendor: 'HAProxy', page: '502 Bad Gateway' },
  'haproxy-504-gateway-time-out.http': { vendor: 'HAProxy', page: '504 Gateway Time-out' },
  'haproxy-403-forbidden.http': { vendor: 'HAProxy', page: '403 Forbidden' },
  'varnish-503-backend-fetch-failed.http': { vendor: 'Varnish', page: 'Guru Meditation: 503 Backend fetch failed' },
  'varnish-400-bad-request.http': { vendor: 'Varnish', page: 'Guru Meditation: 400 Bad Request' },
  'apache-503-service-unavailable.http': { vendor: 'Apache httpd', page: '503 Service Unavailable' },
  'apache-502-proxy-error.http': { vendor: 'Apache httpd', page: '502 Proxy Error' },
  'apache-404-not-found.http': { vendor: 'Apache httpd', page: '404 Not Found' },
  'apache-debian-default-page.http': { vendor: 'Apache httpd', page: 'default welcome page' },
  'apache-it-works.http': { vendor: 'Apache httpd', page: 'default welcome page' },
  'caddy-502-empty-body.http': { vendor: 'Caddy', page: 'empty 502' },
  'apache-502-proxy-error-timeout.http': { vendor: 'Apache httpd', page: '502 Proxy Error' },
  'squid-503-err-connect-fail.http': { vendor: 'Squid', page: 'ERR_CONNECT_FAIL' },
  'squid-504-err-read-timeout.http': { vendor: 'Squid', page: 'ERR_READ_TIMEOUT' },
  'trafficserver-502-could-not-connect.http': { vendor: 'Apache Traffic Server', page: 'Could Not Connect' },
  'trafficserver-504-connection-timed-out.http': { vendor: 'Apache Traffic Server', page: 'Inactivity Timeout' },
  'tinyproxy-500-unable-to-connect.http': { vendor: 'tinyproxy', page: '500 Unable to connect' },
  'lighttpd-503-service-unavailable.http': { vendor: 'lighttpd', page: '503 Service Unavailable' },
  'nghttpx-502-bad-gateway.http': { vendor: 'nghttpx', page: '502 Bad Gateway' },
  'nghttpx-504-gateway-timeout.http': { vendor: 'nghttpx', page: '504 Gateway Timeout' },
  'h2o-502-connection-failed.http': { vendor: 'H2O', page: 'Gateway Error: connection failed' },
  'h2o-502-io-timeout.http': { vendor: 'H2O', page: 'Gateway Error: I/O timeout' },
  'negative-nginx-app-page.http': null,
  'negative-blog-fixing-nginx-502.http': null,
  'negative-json-api-error.http': null,
  'negative-custom-maintenance-page.http': null,
  'negative-empty-204.http': null,
  'negative-docs-quoting-squid-error.http': null,
  // Reconstructed from vendors' source or documented responses (README.md says which).
  'envoy-502-upstream-reset-protocol-error.http': { vendor: 'Envoy', page: 'upstream connect error' },
  'envoy-503-upstream-connect-error.http': { vendor: 'Envoy', page: 'upstream connect error' },
  'envoy-503-no-healthy-upstream.http': { vendor: 'Envoy', page: 'no healthy upstream' },
  'envoy-504-upstream-request-timeout.http': { vendor: 'Envoy', page: 'upstream request timeout' },
  'traefik-502-bad-gateway.http': { vendor: 'Traefik', page: 'Bad Gateway' },
  'traefik-504-gateway-timeout.http': { vendor: 'Traefik', page: 'Gateway Timeout' },
  'traefik-503-no-available-server.http': { vendor: 'Traefik', page: 'no available server' },
  'traefik-404-page-not-found.http': { vendor: 'Traefik or another Go server', page: '404 page not found' },
  'ingress-nginx-default-backend-404.http': { vendor: 'ingress-nginx', page: 'default backend - 404' },
  'iis-arr-502-bad-gateway.http': { vendor: 'IIS ARR', page: '502 - Web server received an invalid response while acting as a gateway or proxy server' },
  'iis-httpsys-503-service-unavailable.http': { vendor: 'IIS (HTTP.sys)', page: 'HTTP Error 503. The service is unavailable' },
  'iis-detailed-502-3-bad-gateway.http': { vendor: 'IIS', page: 'HTTP Error 502.3 - Bad Gateway' },
  'aws-alb-502-bad-gateway.http': { vendor: 'AWS ALB', page: '502 Bad Gateway' },
  'aws-alb-503-service-temporarily-unavailable.http': { vendor: 'AWS ALB', page: '503 Service Temporarily Unavailable' },
  'aws-elb-classic-503-empty.http': { vendor: 'AWS ELB (classic)', page: 'empty 503' },
  'cloudflare-502-bad-gateway.http': { vendor: 'Cloudflare', page: '502 Bad Gateway' },
  'cloudflare-521-web-server-is-down-2015.http': { vendor: 'Cloudflare', page: 'Error 521: Web server is down' },
  'cloudflare-522-connection-timed-out.http': { vendor: 'Cloudflare', page: 'Error 522: Connection timed out' },
  'cloudflare-1020-error-code.http': { vendor: 'Cloudflare', page: 'Error 1020' },
  'akamai-403-access-denied.http': { vendor: 'Akamai', page: 'Access Denied' },
  'akamai-503-error-processing-request.http': { vendor: 'Akamai', page: 'An error occurred while processing your request' },
  'fastly-503-guru-mediation.http': { vendor: 'Fastly', page: 'Guru Mediation: 503 Backend is unhealthy' },
  'fastly-500-unknown-domain.http': { vendor: 'Fastly', page: 'unknown domain' },
  'gfe-502-server-error.http': { vendor: 'Google Front End', page: 'Error 502 (Server Error)' },
};

const FIXTURES: HttpFixture[] = listHttpFixtures().map((name) => loadHttpFixture(name));
const POSITIVE = FIXTURES.filter((f) => EXPECTED[f.name]);
const NEGATIVE = FIXTURES.filter((f) => EXPECTED[f.name] === null);
const WITH_BODY = POSITIVE.filter((f) => f.body.length > 0);

const NGINX_502_CRLF =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const APP_PAGE = '<!doctype html><html><head><title>Acme</title></head><body><h1>Welcome to Acme</h1><p>All systems normal.</p></body></html>';

const SQUID_503 = loadHttpFixture('squid-503-err-connect-fail.http');
const ATS_502 = loadHttpFixture('trafficserver-502-could-not-connect.http');
const TINYPROXY_500 = loadHttpFixture('tinyproxy-500-unable-to-connect.http');
const LIGHTTPD_503 = loadHttpFixture('lighttpd-503-service-unavailable.http');
const NGHTTPX_502 = loadHttpFixture('nghttpx-502-bad-gateway.http');
const H2O_502 = loadHttpFixture('h2o-502-connection-failed.http');

/** Responses that are not in a capture but that the table has entries for: older templates and rarer variants. */
const MORE_POSITIVES: Array<{ name: string; response: ErrorPageResponse; expected: { vendor: string; page: string } }> = [
  {
    // nginx before 1.21: bgcolor, CRLF, and the MSIE padding (ngx_http_special_response.c).
    name: 'nginx 1.14 page with MSIE padding',
    response: {
      status: 502,
      headers: { server: 'nginx/1.14.2', 'content-type': 'text/html' },
      body:
        '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body bgcolor="white">\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.14.2</center>\r\n</body>\r\n</html>\r\n' +
        '<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n'.repeat(6),
    },
    expected: { vendor: 'nginx', page: '502 Bad Gateway' },
  },
  {
    name: 'nginx 497 (plain HTTP to an HTTPS port) has an extra line',
    response: {
      status: 400,
      headers: { server: 'nginx' },
      body: '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    },
    expected: { vendor: 'nginx', page: '400 Bad Request' },
  },
  {
    name: 'OpenResty footer',
    response: { status: 504, headers: { server: 'openresty' }, body: NGINX_502_CRLF.replace(/502 Bad Gateway/g, '504 Gateway Time-out').replace('nginx/1.22.1', 'openresty/1.21.4.1') },
    expected: { vendor: 'OpenResty', page: '504 Gateway Time-out' },
  },
  {
    name: 'Azure Application Gateway footer',
    response: { status: 502, headers: { server: 'Microsoft-Azure-Application-Gateway/v2' }, body: NGINX_502_CRLF.replace('nginx/1.22.1', 'Microsoft-Azure-Application-Gateway/v2') },
    expected: { vendor: 'Azure Application Gateway', page: '502 Bad Gateway' },
  },
  {
    name: 'footerless nginx-style page without awselb header',
    response: { status: 200, headers: {}, body: NGINX_502_CRLF.replace('<hr><center>nginx/1.22.1</center>\r\n', '') },
    expected: { vendor: 'unidentified proxy', page: '502 Bad Gateway' },
  },
  {
    // nginx/nginx docs/html/50x.html in an older revision of the nginx source.
    name: 'legacy nginx 50x.html',
    response: {
      status: 200,
      headers: { server: 'nginx/0.7.65' },
      body: '<html>\n<head>\n<title>The page is temporarily unavailable</title>\n<style>\nbody { font-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body bgcolor="white" text="black">\n<table width="100%" height="100%">\n<tr>\n<td align="center" valign="middle">\nThe page you are looking for is temporarily unavailable.<br/>\nPlease try again later.\n</td>\n</tr>\n</table>\n</body>\n</html>\n',
    },
    expected: { vendor: 'nginx', page: 'default 50x.html' },
  },
  {
    // httpd 2.4 before 2.4.59: IETF HTML 2.0 doctype, no signature footer (ServerSignature Off).
    name: 'Apache 2.4.41 proxy error without signature',
    response: {
      status: 502,
      headers: { server: 'Apache' },
      body: '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\nThe proxy server could not handle the request <em><a href="/health">GET&nbsp;/health</a></em>.<p>\nReason: <strong>Error reading from remote server</strong></p></p>\n</body></html>\n',
    },
    expected: { vendor: 'Apache httpd', page: '502 Proxy Error' },
  },
  {
    name: 'Envoy "no route" 404 without body',
    response: { status: 404, headers: { server: 'istio-envoy', 'content-length': '0', date: 'Wed, 27 Apr 2022 14:46:41 GMT' }, body: '' },
    expected: { vendor: 'Envoy', page: 'empty 404 (no route)' },
  },
  {
    name: 'Go default "Service Unavailable" (Traefik empty backend)',
    response: { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': '19' }, body: 'Service Unavailable' },
    expected: { vendor: 'Traefik or another Go server', page: 'Service Unavailable' },
  },
  {
    // Squid 5 with `httpd_suppress_version_string on`: the footer names "(squid)" without a version.
    name: 'Squid page without the version string',
    response: { ...SQUID_503, headers: { server: 'squid' }, body: SQUID_503.body.replace('(squid/5.7)</p>', '(squid)</p>') },
    expected: { vendor: 'Squid', page: 'ERR_CONNECT_FAIL' },
  },
  {
    // The same template from body_factory, the "Inactivity Timeout" capture with another Description.
    name: 'Traffic Server "Temporary Error" (cache#read_error)',
    response: {
      status: 502,
      headers: { server: 'ATS/9.2.9' },
      body: ATS_502.body.replace(/Could Not Connect/g, 'Temporary Error').replace('Could not connect to the requested server host.', 'Temporary error.  Please try again later.'),
    },
    expected: { vendor: 'Apache Traffic Server', page: 'Temporary Error' },
  },
  {
    name: 'nghttpx with a custom server-name footer',
    response: { status: 503, headers: { server: 'edge' }, body: NGHTTPX_502.body.replace(/502 Bad Gateway/g, '503 Service Unavailable').replace('<footer>nghttpx</footer>', '<footer>edge</footer>') },
    expected: { vendor: 'nghttpx', page: '503 Service Unavailable' },
  },
  {
    // Quoted in ArchiSteamFarm's FAQ (Steam behind Akamai, 2016): no reference line.
    name: 'Akamai processing error without a reference',
    response: { status: 503, headers: { server: 'AkamaiGHost' }, body: '<HTML><HEAD><TITLE>Error</TITLE></HEAD><BODY>\nAn error occurred while processing your request.<p>\n</BODY></HTML>\n' },
    expected: { vendor: 'Akamai', page: 'An error occurred while processing your request' },
  },
];

/** Which table entry recognises a response (the recogniser only says what, not which entry). */
function fingerprintIdOf(response: ErrorPageResponse): string | undefined {
  const text = response.body.replace(/\r\n?/g, '\n').trim();
  const candidate: ErrorPageCandidate = { status: response.status, headers: response.headers, text };
  const shape = response.body === '' ? 'empty' : /^[\s\uFEFF]*</.test(response.body) ? 'html' : 'text';
  return ERROR_PAGE_FINGERPRINTS.find(
    (f) => f.shape === shape && response.body.length <= f.maxLength && (f.needle === undefined || response.body.includes(f.needle)) && f.match(candidate) !== undefined,
  )?.id;
}

function context(response: ErrorPageResponse, spec: Parameters<typeof contextOf>[1] = {}) {
  return contextOf({ status: response.status, headers: { ...response.headers }, body: response.body }, spec);
}

describe('error page fixtures', () => {
  it('every fixture file has an expectation, and every expectation a file', () => {
    expect(FIXTURES.map((f) => f.name)).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const match = recogniseErrorPage(fixture);
    const expected = EXPECTED[fixture.name];
    if (expected) {
      expect(match).toMatchObject(expected);
      expect(match?.signals.some((s) => s.startsWith('body: '))).toBe(true);
    } else {
      expect(match).toBeUndefined();
    }
  });
});

describe('recogniseErrorPage', () => {
  it.each(MORE_POSITIVES.map((c) => [c.name, c] as const))('recognises %s', (_name, { response, expected }) => {
    expect(recogniseErrorPage(response)).toMatchObject(expected);
  });

  it('uses every entry of the table on at least one response', () => {
    const used = new Set([...POSITIVE.map((f) => fingerprintIdOf(f)), ...MORE_POSITIVES.map((c) => fingerprintIdOf(c.response))]);
    expect(ERROR_PAGE_FINGERPRINTS.map((f) => f.id).filter((id) => !used.has(id))).toEqual([]);
  });

  it.each(WITH_BODY.map((f) => [f.name, f] as const))('still recognises %s served as 200', (_name, fixture) => {
    expect(recogniseErrorPage({ ...fixture, status: 200 })).toMatchObject(EXPECTED[fixture.name] ?? {});
  });

  it.each(WITH_BODY.map((f) => [f.name, f] as const))('is indifferent to CRLF line ends in %s', (_name, fixture) => {
    expect(recogniseErrorPage({ ...fixture, body: fixture.body.replace(/\n/g, '\r\n') })).toMatchObject(EXPECTED[fixture.name] ?? {});
  });

  it('names the server header among the signals, after the body', () => {
    expect(recogniseErrorPage({ status: 200, headers: { server: 'nginx/1.22.1' }, body: NGINX_502_CRLF })).toEqual({
      vendor: 'nginx',
      page: '502 Bad Gateway',
      signals: ['body: nginx status page <h1>502 Bad Gateway</h1>', 'body: <hr><center>nginx/1.22.1</center>', 'server: nginx/1.22.1'],
    });
  });

  it('names the Squid template, its error line and footer, then the headers that agree', () => {
    expect(recogniseErrorPage(SQUID_503)).toEqual({
      vendor: 'Squid',
      page: 'ERR_CONNECT_FAIL',
      signals: [
        'body: Squid error page ERR_CONNECT_FAIL (<body id=ERR_CONNECT_FAIL> … <!-- ERR_CONNECT_FAIL -->)',
        'body: "Connection to 127.0.0.42 failed."',
        'body: footer "(squid/5.7)"',
        'server: squid/5.7',
        'x-squid-error: ERR_CONNECT_FAIL 111',
        'via: 1.1 localhost (squid/5.7)',
      ],
    });
  });

  describe('header-only signals without a body shape do not match', () => {
    const cases: Array<[string, ErrorPageResponse]> = [
      ['an app page sent by nginx', { status: 200, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: APP_PAGE }],
      ['an app page behind an ALB', { status: 200, headers: { server: 'awselb/2.0' }, body: APP_PAGE }],
      ['JSON behind Cloudflare', { status: 200, headers: { server: 'cloudflare', 'cf-ray': '8e6f1d2c3b4a5968-AMS' }, body: '{"status":"ok"}' }],
      ['"OK" from behind Envoy', { status: 200, headers: { server: 'envoy', 'x-envoy-upstream-service-time': '3' }, body: 'OK' }],
      ['an empty 200 from Caddy', { status: 200, headers: { server: 'Caddy', 'content-length': '0' }, body: '' }],
      ['an empty 204 from Envoy', { status: 204, headers: { server: 'envoy' }, body: '' }],
      ["an application's empty 404 proxied by Envoy", { status: 404, headers: { server: 'envoy', 'x-envoy-upstream-service-time': '4' }, body: '' }],
      ['an empty 503 proxied by Envoy', { status: 503, headers: { server: 'envoy' }, body: '' }],
      ['a 503 error page of Varnish headers with an app body', { status: 503, headers: { server: 'Varnish', via: '1.1 varnish', 'x-varnish': '32770' }, body: APP_PAGE }],
      ['an AkamaiGHost 200 with a JSON body', { status: 200, headers: { server: 'AkamaiGHost' }, body: '{"ok":true}' }],
      ['an empty 503 from a Go server (it sends Date)', { status: 503, headers: { date: 'Wed, 25 Nov 2026 09:00:00 GMT', 'content-length': '0' }, body: '' }],
      ['an empty 503 with no headers at all', { status: 503, headers: {}, body: '' }],
      ['"error code: 1020" not from Cloudflare', { status: 403, headers: { server: 'nginx' }, body: 'error code: 1020' }],
      ['an app page through Squid (a cache hit)', { status: 200, headers: { server: 'nginx', via: '1.1 localhost (squid/5.7)', 'x-cache': 'HIT from localhost' }, body: APP_PAGE }],
      ['an app page through Traffic Server', { status: 200, headers: { server: 'ATS/9.2.9' }, body: APP_PAGE }],
      ['a JSON health document through H2O', { status: 200, headers: { server: 'h2o (Debian)', 'content-type': 'application/json' }, body: '{"status":"ok"}' }],
      ['"OK" through H2O', { status: 200, headers: { server: 'h2o/2.2.5', 'content-type': 'text/plain; charset=utf-8' }, body: 'OK' }],
      ['an empty 502 from nghttpx', { status: 502, headers: { server: 'nghttpx' }, body: '' }],
    ];
    it.each(cases)('%s', (_name, response) => {
      expect(recogniseErrorPage(response)).toBeUndefined();
    });
  });

  describe('does not match a page that merely contains or resembles one', () => {
    const cases: Array<[string, ErrorPageResponse]> = [
      ['nginx template inside a larger page', { status: 200, headers: { server: 'nginx' }, body: `<!doctype html><html><body><h2>Incident report</h2><pre>${NGINX_502_CRLF}</pre></body></html>` }],
      ['nginx template followed by app content', { status: 200, headers: { server: 'nginx' }, body: `${NGINX_502_CRLF}<script src="/app.js"></script>` }],
      ['a body longer than any stock page that starts with one', { status: 502, headers: { server: 'nginx' }, body: NGINX_502_CRLF + ' '.repeat(ERROR_PAGE_MAX_BODY_LENGTH) }],
      ['nginx\'s 401 challenge page (the auth wall\'s business)', { status: 401, headers: { server: 'nginx', 'www-authenticate': 'Basic realm="ops"' }, body: NGINX_502_CRLF.replace(/502 Bad Gateway/g, '401 Authorization Required') }],
      ['HAProxy\'s 401 challenge page', { status: 401, headers: { 'www-authenticate': 'Basic realm="stats"' }, body: '<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n' }],
      ['HAProxy monitor-uri "Service ready."', { status: 200, headers: {}, body: '<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n' }],
      ['a JSON error naming Envoy\'s text', { status: 503, headers: { server: 'envoy' }, body: '{"error":"upstream connect error or disconnect/reset before headers. reset reason: connection failure"}' }],
      ['Express res.sendStatus(503)', { status: 503, headers: { 'x-powered-by': 'Express', etag: 'W/"13-abc"', 'content-type': 'text/plain; charset=utf-8' }, body: 'Service Unavailable' }],
      ['a status text with a trailing sentence', { status: 502, headers: {}, body: 'Bad Gateway: the payment provider did not answer' }],
      ['"Guru Meditation" in a blog snippet', { status: 200, headers: {}, body: '<p>Varnish shows <b>Guru Meditation</b> with an XID when the backend fails.</p>' }],
      ['a page titled "Welcome to nginx!" that is an app', { status: 200, headers: { server: 'nginx' }, body: '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body><h1>Our nginx tutorials</h1></body>\n</html>' }],
      ['a Cloudflare-styled page without code and Ray ID', { status: 200, headers: {}, body: '<div id="cf-wrapper"><div id="cf-error-details">Custom maintenance page</div></div>' }],
      ['Google\'s error text in an app page', { status: 404, headers: {}, body: '<html><body><p><b>404.</b> <ins>That’s an error.</ins></p><p>Our own 404 page.</p></body></html>' }],
      ['a truncated nginx page', { status: 502, headers: { server: 'nginx' }, body: NGINX_502_CRLF.slice(0, 60) }],
      // Near misses of the pages captured by scripts/capture-error-pages.sh.
      ['Squid\'s page followed by app content', { ...SQUID_503, status: 200, body: `${SQUID_503.body}<script src="/app.js"></script>\n` }],
      ['Squid\'s page inside a docs page', { status: 200, headers: { server: 'nginx' }, body: `<!doctype html><html><body><h1>Squid errors</h1>\n${SQUID_503.body}\n<p>See also ERR_READ_TIMEOUT.</p></body></html>` }],
      ['Squid\'s page whose body id and closing comment disagree', { ...SQUID_503, body: SQUID_503.body.replace('<!-- ERR_CONNECT_FAIL -->', '<!-- ERR_READ_TIMEOUT -->') }],
      ['Squid\'s proxy-auth challenge (ERR_CACHE_ACCESS_DENIED, 407)', { ...SQUID_503, status: 407, body: SQUID_503.body.replace(/ERR_CONNECT_FAIL/g, 'ERR_CACHE_ACCESS_DENIED') }],
      ['Traffic Server\'s redirect body ("Document Has Moved")', { status: 301, headers: { server: 'ATS/9.2.9', location: '/new' }, body: ATS_502.body.replace(/Could Not Connect/g, 'Document Has Moved') }],
      ['Traffic Server\'s template with another <H1> than its <TITLE>', { ...ATS_502, body: ATS_502.body.replace('<H1>Could Not Connect</H1>', '<H1>Our shop</H1>') }],
      ['Traffic Server\'s template with app content after it', { ...ATS_502, status: 200, body: `${ATS_502.body}\n<p>Welcome back!</p>\n` }],
      ['tinyproxy\'s page with its heading changed', { ...TINYPROXY_500, status: 200, body: TINYPROXY_500.body.replace('<h1>Unable to connect</h1>', '<h1>Connected</h1>') }],
      ['tinyproxy\'s proxy-auth challenge (407)', { ...TINYPROXY_500, status: 407, body: TINYPROXY_500.body.replace(/500 Unable to connect/, '407 Proxy Authentication Required').replace('<h1>Unable to connect</h1>', '<h1>Proxy Authentication Required</h1>') }],
      ['an XHTML page shaped like lighttpd\'s with a paragraph more', { status: 200, headers: { server: 'lighttpd/1.4.69' }, body: LIGHTTPD_503.body.replace('  <h1>503 Service Unavailable</h1>\n', '  <h1>503 Service Unavailable</h1>\n  <p>Back at 14:00.</p>\n') }],
      ['lighttpd\'s template with title and heading that disagree', { ...LIGHTTPD_503, body: LIGHTTPD_503.body.replace('<h1>503 Service Unavailable</h1>', '<h1>200 OK</h1>') }],
      ['nghttpx\'s page quoted in a larger page', { status: 200, headers: { server: 'nghttpx' }, body: `<!doctype html><html><body><pre>${NGHTTPX_502.body}</pre></body></html>` }],
      ['H2O\'s text without H2O\'s Server header', { status: 502, headers: { server: 'nginx', 'content-type': 'text/plain; charset=utf-8' }, body: 'connection failed' }],
      ['H2O\'s text from an application behind H2O (ETag)', { status: 200, headers: { ...H2O_502.headers, etag: '"17-abc"' }, body: H2O_502.body }],
      ['H2O\'s text from an application behind H2O (another content type)', { status: 200, headers: { ...H2O_502.headers, 'content-type': 'text/plain' }, body: H2O_502.body }],
      ['an application\'s own text behind H2O', { status: 503, headers: { ...H2O_502.headers }, body: 'connection failed: database is read-only, retry in 30 s' }],
    ];
    it.each(cases)('%s', (_name, response) => {
      expect(recogniseErrorPage(response)).toBeUndefined();
    });
  });

  it.each(NEGATIVE.map((f) => [f.name, f] as const))('does not recognise %s whatever its status', (_name, fixture) => {
    for (const status of [200, 502, 503]) expect(recogniseErrorPage({ ...fixture, status })).toBeUndefined();
  });

  it('does not recognise a bodiless proxy answer served as 200', () => {
    for (const fixture of POSITIVE.filter((f) => f.body.length === 0)) expect(recogniseErrorPage({ ...fixture, status: 200 }), fixture.name).toBeUndefined();
  });
});

describe('errorPageDetector', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const causes = errorPageDetector(context(fixture));
    const expected = EXPECTED[fixture.name];
    if (!expected) {
      expect(causes).toEqual([]);
      return;
    }
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({
      code: 'lb_error_page',
      severity: 'down',
      evidence: { vendor: expected.vendor, page: expected.page, httpStatus: fixture.status },
    });
  });

  it("reports the proxy's page served with status 200 as down", () => {
    const causes = errorPageDetector(context({ status: 200, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: NGINX_502_CRLF }));
    expect(causes).toEqual([
      {
        code: 'lb_error_page',
        severity: 'down',
        message: "nginx's own 502 Bad Gateway page, served with status 200",
        evidence: {
          vendor: 'nginx',
          page: '502 Bad Gateway',
          httpStatus: 200,
          signals: ['body: nginx status page <h1>502 Bad Gateway</h1>', 'body: <hr><center>nginx/1.22.1</center>', 'server: nginx/1.22.1'],
        },
      },
    ]);
  });

  it('says a welcome page means the application is not served', () => {
    const [cause] = errorPageDetector(context(loadHttpFixture('nginx-welcome-page.http')));
    expect(cause?.message).toBe("nginx's default welcome page, served with status 200: the application is not being served");
    expect(cause?.evidence['page']).toBe('default welcome page');
  });

  describe('an explicitly expected non-2xx status suppresses the page', () => {
    const haproxy503 = loadHttpFixture('haproxy-503-service-unavailable.http');
    const nginx503 = loadHttpFixture('nginx-503-service-unavailable.http');

    it.each([
      ['503', [503]],
      ['"5xx"', ['5xx']],
      ['"500-599"', ['500-599']],
      ['200 or 503', [200, 503]],
    ] as const)('expect.status %s and a 503 page', (_label, status) => {
      expect(errorPageDetector(context(haproxy503, { expect: { status: [...status] } }))).toEqual([]);
      expect(errorPageDetector(context(nginx503, { expect: { status: [...status] } }))).toEqual([]);
    });

    it('not when the expected status is a different one', () => {
      expect(errorPageDetector(context(haproxy503, { expect: { status: [502] } }))).toHaveLength(1);
    });

    it('not when no status is expected explicitly (the default 2xx)', () => {
      expect(errorPageDetector(context(haproxy503))).toHaveLength(1);
    });

    it('never for a page served with a 2xx, even when 200 is expected explicitly', () => {
      const lying = loadHttpFixture('nginx-50x-html-served-as-200.http');
      expect(errorPageDetector(context(lying, { expect: { status: [200, 503] } }))).toHaveLength(1);
    });
  });
});
