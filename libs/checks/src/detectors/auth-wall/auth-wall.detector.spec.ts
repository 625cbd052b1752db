import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RedirectHop } from '../../observation/observation';
import type { MonitorSpecInput } from '../../spec/monitor-spec.schema';
import { contextOf, type ObservationInput } from '../../testing/observation-fixtures';
import { authWallDetector } from './auth-wall.detector';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
}

function detect(input: ObservationInput, spec: Partial<MonitorSpecInput> = {}) {
  return authWallDetector(contextOf(input, spec));
}

/** An observation that followed `hops` redirects from `url` and landed on the last hop's `location`. */
function redirected(url: string, locations: readonly string[], body = '<!doctype html><title>Sign in</title>'): ObservationInput {
  const hops: RedirectHop[] = [];
  let from = url;
  for (const location of locations) {
    hops.push({ url: from, status: 302, location });
    from = location;
  }
  return { url, status: 200, headers: { 'content-type': 'text/html' }, body, outcome: { finalUrl: from, redirects: hops } };
}

describe('authWallDetector: 401 and 403', () => {
  it.each<[string, number, Record<string, string>, string | null]>([
    ['bearer challenge', 401, { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="The access token expired"' },
      'Bearer realm="api", error="invalid_token", error_description="The access token expired"'],
    ['basic challenge', 401, { 'www-authenticate': 'Basic realm="Restricted"' }, 'Basic realm="Restricted"'],
    ['forbidden without a challenge', 403, {}, null],
  ])('%s', (_label, status, headers, challenge) => {
    const causes = detect({ url: 'https://api.example.com/v1/orders', status, headers, body: '' });
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({
      code: 'auth_wall',
      severity: 'down',
      evidence: { rule: 'status', httpStatus: status, wwwAuthenticate: challenge, finalUrl: 'https://api.example.com/v1/orders' },
    });
  });

  it('says what the challenge was', () => {
    const [cause] = detect({ url: 'https://api.example.com/v1/me', status: 401, headers: { 'www-authenticate': 'Basic realm="Restricted"' } });
    expect(cause?.message).toBe('401 from https://api.example.com/v1/me: authentication required (www-authenticate: Basic realm="Restricted")');
  });

  it.each<[number, MonitorSpecInput['expect']]>([
    [401, { status: [401] }],
    [403, { status: ['4xx'] }],
    [403, { status: [200, '400-403'] }],
  ])('%i is the monitor\'s own expectation: nothing', (status, expect_) => {
    expect(detect({ status }, { expect: expect_ })).toEqual([]);
  });

  it('an explicit list that leaves the status out still counts it', () => {
    expect(detect({ status: 401 }, { expect: { status: [200, 204] } })[0]?.evidence['rule']).toBe('status');
  });
});

describe('authWallDetector: redirects that end on a login page', () => {
  it.each<[string, string, string[], string]>([
    ['Azure AD', 'https://portal.example.com/dashboard',
      ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize?client_id=6731de76-14a6-49ae-97bc-6eba6914391e&response_type=code&redirect_uri=https%3A%2F%2Fportal.example.com%2Fsignin-oidc&scope=openid%20profile&state=OpenIdConnect.AuthenticationProperties%3Dabc'],
      'idp-host login.microsoftonline.com'],
    ['Google', 'https://docs.example.com/',
      ['https://accounts.google.com/v3/signin/identifier?continue=https%3A%2F%2Fdocs.example.com%2F&followup=https%3A%2F%2Fdocs.example.com%2F&flowName=GlifWebSignIn&flowEntry=ServiceLogin'],
      'idp-host accounts.google.com'],
    ['Okta', 'https://wiki.example.com/spaces/ops',
      ['https://acme.okta.com/oauth2/default/v1/authorize?client_id=0oa1b2c3d4&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fwiki.example.com%2Fauthorization-code%2Fcallback&state=xyz'],
      'idp-host acme.okta.com'],
    ['Auth0 universal login', 'https://app.example.com/billing', ['https://acme.us.auth0.com/u/login?state=hKFo2SBOaW9hYzFLSk1'],
      'idp-host acme.us.auth0.com'],
    ['Cognito hosted UI', 'https://admin.example.com/',
      ['https://acme.auth.eu-west-1.amazoncognito.com/login?client_id=4p1k8&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fadmin.example.com%2Fcallback'],
      'idp-host acme.auth.eu-west-1.amazoncognito.com'],
    ['Azure AD B2C', 'https://shop.example.com/orders',
      ['https://acme.b2clogin.com/acme.onmicrosoft.com/oauth2/v2.0/authorize?p=B2C_1_signupsignin&client_id=90c0fe63&redirect_uri=https%3A%2F%2Fshop.example.com%2F&response_type=id_token'],
      'idp-host acme.b2clogin.com'],
    ['GitHub', 'https://github.com/orgs/acme/settings', ['https://github.com/login?return_to=https%3A%2F%2Fgithub.com%2Forgs%2Facme%2Fsettings'],
      'idp-host github.com/login'],
    ['Keycloak', 'https://portal.example.com/',
      ['https://sso.example.com/realms/acme/protocol/openid-connect/auth?client_id=portal&redirect_uri=https%3A%2F%2Fportal.example.com%2F&response_type=code&scope=openid'],
      'oauth-authorize redirect_uri'],
    ['ADFS SAML', 'https://intranet.example.com/hr',
      ['https://adfs.example.com/adfs/ls/?SAMLRequest=fZJNT8MwDIbv%2FIoq9zRpu3VdtE6aGIdJICZ%2BxAhLZSmkK%2Bu2&RelayState=%2Fhr'],
      'saml-request SAMLRequest'],
    ['CAS', 'https://grades.example.edu/courses', ['https://cas.example.edu/cas/login?service=https%3A%2F%2Fgrades.example.edu%2Fcourses'],
      'login-path /login'],
    ['ASP.NET Identity', 'https://app.example.com/dashboard', ['https://app.example.com/Account/Login?ReturnUrl=%2Fdashboard'],
      'login-path /Login'],
    ['WordPress', 'https://blog.example.com/wp-admin/', ['https://blog.example.com/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1'],
      'login-path /wp-login.php'],
    ['Jenkins', 'https://ci.example.com/job/deploy/', ['https://ci.example.com/login?from=%2Fjob%2Fdeploy%2F'], 'login-path /login'],
    ['a return parameter pointing back at the page', 'https://reports.example.com/reports/weekly',
      ['https://reports.example.com/welcome?next=%2Freports%2Fweekly'], 'return-parameter next'],
    ['http to https, then SSO', 'http://grafana.example.com/d/abc/overview',
      ['https://grafana.example.com/d/abc/overview', 'https://grafana.example.com/login'], 'login-path /login'],
  ])('%s', (_label, url, locations, matched) => {
    const causes = detect(redirected(url, locations));
    const finalUrl = locations[locations.length - 1] ?? '';
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ code: 'auth_wall', severity: 'down', evidence: { rule: 'redirect', matched } });
    expect(causes[0]?.evidence['loginUrl']).toBe(finalUrl.length > 300 ? `${finalUrl.slice(0, 300)}…` : finalUrl);
    expect(causes[0]?.evidence['chain']).toHaveLength(locations.length);
  });

  it('shows the whole chain, hop by hop', () => {
    const [cause] = detect(redirected('http://grafana.example.com/d/abc', ['https://grafana.example.com/d/abc', 'https://grafana.example.com/login']));
    expect(cause?.evidence['chain']).toEqual([
      '302 http://grafana.example.com/d/abc -> https://grafana.example.com/d/abc',
      '302 https://grafana.example.com/d/abc -> https://grafana.example.com/login',
    ]);
    expect(cause?.message).toBe('redirected to a login page: https://grafana.example.com/login (login-path /login)');
  });

  it.each<[string, string, string[]]>([
    ['http to https, same page', 'http://www.example.com/status', ['https://www.example.com/status']],
    ['a moved page', 'https://www.example.com/old-pricing', ['https://www.example.com/pricing']],
    ['a trailing slash', 'https://docs.example.com/guide', ['https://docs.example.com/guide/']],
    ['a locale', 'https://www.example.com/', ['https://www.example.com/en-gb/']],
    ['a segment that only starts like "auth"', 'https://blog.example.com/team', ['https://blog.example.com/authors']],
    ['an article about logging in', 'https://blog.example.com/latest', ['https://blog.example.com/posts/how-to-login-faster']],
    ['a monitor that watches its own login page', 'https://app.example.com/login', ['https://app.example.com/login/']],
    ['a monitor of the IdP itself', 'https://login.microsoftonline.com/common/discovery/instance', ['https://login.microsoftonline.com/common/discovery/instance/']],
    ['a return parameter naming another page', 'https://www.example.com/status', ['https://www.example.com/home?next=%2Fsomewhere-else']],
    ['a bounce from the root back to the root', 'https://www.example.com/', ['https://www.example.com/start?next=%2F']],
    ['a marketing redirect to another site', 'https://example.com/go', ['https://www.google.com/']],
  ])('not a login: %s', (_label, url, locations) => {
    expect(detect(redirected(url, locations, '<!doctype html><title>Welcome</title>'))).toEqual([]);
  });
});

describe('authWallDetector: an unfollowed redirect to a login page', () => {
  const location = (status: number, to: string): ObservationInput => ({
    url: 'https://app.example.com/admin',
    status,
    headers: { location: to },
    body: '',
  });

  it('points at the login page by Location', () => {
    const causes = detect(location(302, '/login?next=%2Fadmin'), { followRedirects: false });
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({
      code: 'auth_wall',
      severity: 'down',
      message: '302 points to a login page: https://app.example.com/login?next=%2Fadmin (login-path /login)',
      evidence: {
        rule: 'location',
        httpStatus: 302,
        loginUrl: 'https://app.example.com/login?next=%2Fadmin',
        chain: ['302 https://app.example.com/admin -> https://app.example.com/login?next=%2Fadmin'],
      },
    });
  });

  it('a redirect the monitor lists explicitly is what it wants to see', () => {
    expect(detect(location(302, '/login'), { followRedirects: false, expect: { status: [302] } })).toEqual([]);
  });

  it('a redirect elsewhere is not a login', () => {
    expect(detect(location(301, 'https://app.example.com/administration'), { followRedirects: false })).toEqual([]);
  });
});

describe('authWallDetector: a login form served as the page', () => {
  it.each<[string, string, string]>([
    ['wordpress-login.html', 'https://blog.example.com/wp-admin/', 'Log In ‹ Acme Engineering Blog — WordPress'],
    ['django-admin-login.html', 'https://app.example.com/admin/', 'Log in | Django site admin'],
    ['jenkins-login.html', 'https://ci.example.com/job/deploy/', 'Sign in [Jenkins]'],
    ['keycloak-login.html', 'https://portal.example.com/', 'Sign in to acme'],
  ])('%s', (name, url, heading) => {
    const causes = detect({ url, headers: { 'content-type': 'text/html; charset=utf-8' }, body: fixture(name) });
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({
      code: 'auth_wall',
      severity: 'down',
      message: `200 response is a login form (${JSON.stringify(heading)}) at ${url}`,
      evidence: { rule: 'login-form', httpStatus: 200, heading, finalUrl: url },
    });
  });

  it.each<[string]>([
    ['not-login-signup-form.html'],
    ['not-login-forum-home-with-header-login.html'],
    ['not-login-article-how-to-log-in.html'],
    ['not-login-spa-shell.html'],
    ['not-login-change-password.html'],
  ])('not a login: %s', (name) => {
    expect(detect({ url: 'https://www.example.com/', headers: { 'content-type': 'text/html' }, body: fixture(name) })).toEqual([]);
  });

  it('a monitor of the login page itself sees its form and is content', () => {
    const input = { url: 'https://blog.example.com/wp-login.php', headers: { 'content-type': 'text/html' }, body: fixture('wordpress-login.html') };
    expect(detect(input)).toEqual([]);
  });

  it('a login form on an error status is left to the status expectation', () => {
    expect(detect({ status: 500, headers: { 'content-type': 'text/html' }, body: fixture('jenkins-login.html') })).toEqual([]);
  });
});

describe('authWallDetector: switched off', () => {
  it('stays quiet for every rule', () => {
    const off = { detectors: { authWall: false } };
    expect(detect({ status: 401 }, off)).toEqual([]);
    expect(detect(redirected('https://app.example.com/x', ['https://app.example.com/login']), off)).toEqual([]);
    expect(detect({ headers: { 'content-type': 'text/html' }, body: fixture('jenkins-login.html') }, off)).toEqual([]);
  });
});
