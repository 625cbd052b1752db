/** Why a URL was taken for a login or single-sign-on page. */
export interface LoginUrlMatch {
  /** `idp-host` (a known identity provider), `login-path`, `oauth-authorize`, `saml-request` or `return-parameter`. */
  rule: 'idp-host' | 'login-path' | 'oauth-authorize' | 'saml-request' | 'return-parameter';
  /** What matched: the host, the path segment, or the query parameter. */
  detail: string;
}

/** Hosts that serve nothing but sign-in: any page on them is a login wall. */
const IDP_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'login.live.com', 'accounts.google.com',
  'login.salesforce.com', 'test.salesforce.com', 'signin.aws.amazon.com', 'id.atlassian.com', 'login.yahoo.com',
  'appleid.apple.com',
]);
/** Identity-provider tenants: Okta, Auth0, OneLogin, Azure AD B2C and External ID, Cognito's hosted UI. */
const IDP_HOST_SUFFIXES = [
  '.okta.com', '.oktapreview.com', '.okta-emea.com', '.auth0.com', '.onelogin.com', '.b2clogin.com', '.ciamlogin.com',
  '.amazoncognito.com',
];
/** Hosts that also serve other things: only their sign-in paths count. */
const IDP_PATHS: ReadonlyMap<string, RegExp> = new Map([
  ['github.com', /^\/(?:login|session)(?:\/|$)/],
  ['gitlab.com', /^\/users\/sign_in(?:\/|$)/],
  ['bitbucket.org', /^\/account\/signin(?:\/|$)/],
]);

/**
 * Path segments (lower case, extension dropped) that name a sign-in step: `/login`,
 * `/Account/Login`, `/wp-login.php`, `/users/sign_in`, `/oauth2/v2.0/authorize`, `/adfs/ls`,
 * `/cas/login`, Keycloak's `/realms/x/protocol/openid-connect/auth`, Shibboleth's `/SAML2/…/SSO`.
 */
const LOGIN_SEGMENTS: ReadonlySet<string> = new Set([
  'login', 'log-in', 'log_in', 'signin', 'sign-in', 'sign_in', 'logon', 'log-on', 'sso', 'auth', 'authenticate',
  'authorize', 'saml', 'saml2', 'adfs', 'wp-login', 'oauth', 'oauth2', 'openid-connect',
]);
/** Query parameters that carry the page to go back to after signing in. */
const RETURN_PARAMETERS: ReadonlySet<string> = new Set([
  'returnurl', 'return_url', 'returnto', 'return_to', 'next', 'continue', 'redirect', 'redirect_to', 'redirect_url',
  'redirecturl', 'service', 'goto', 'fromuri', 'from', 'target', 'callbackurl', 'destination',
]);

/**
 * Whether a URL is a login or SSO page, and why. With `origin` (the URL the monitor asked for),
 * a return parameter pointing back at it also counts: `/welcome?next=/reports` for a monitor of
 * `/reports` is the classic bounce to sign-in, whatever the page is called.
 */
export function matchLoginUrl(url: string, origin?: string): LoginUrlMatch | undefined {
  const parsed = parseUrl(url);
  if (!parsed) return undefined;
  const host = parsed.hostname.toLowerCase();
  if (IDP_HOSTS.has(host) || IDP_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix))) return { rule: 'idp-host', detail: host };
  const idpPath = IDP_PATHS.get(host);
  if (idpPath?.test(parsed.pathname.toLowerCase())) return { rule: 'idp-host', detail: `${host}${parsed.pathname}` };

  const params = parsed.searchParams;
  if (params.has('SAMLRequest')) return { rule: 'saml-request', detail: 'SAMLRequest' };
  if (params.has('redirect_uri') && (params.has('response_type') || params.has('client_id'))) {
    return { rule: 'oauth-authorize', detail: 'redirect_uri' };
  }

  for (const segment of parsed.pathname.split('/')) {
    if (segment === '') continue;
    const lower = decodeSegment(segment).toLowerCase();
    const dot = lower.indexOf('.');
    const base = dot > 0 ? lower.slice(0, dot) : lower;
    if (LOGIN_SEGMENTS.has(base)) return { rule: 'login-path', detail: `/${segment}` };
  }

  if (origin !== undefined) {
    const from = parseUrl(origin);
    if (from) {
      for (const [name, value] of params) {
        if (!RETURN_PARAMETERS.has(name.toLowerCase())) continue;
        if (pointsBackTo(value, parsed, from)) return { rule: 'return-parameter', detail: name };
      }
    }
  }
  return undefined;
}

/** The return value names the origin's path (relative) or the origin itself (absolute, same host). */
function pointsBackTo(value: string, base: URL, origin: URL): boolean {
  if (value === '') return false;
  const target = parseUrl(value, base);
  if (!target) return false;
  const samePath = trimSlash(target.pathname) === trimSlash(origin.pathname);
  // A bounce to `/?next=/` from `/` says nothing; the origin must be a page of its own.
  return samePath && trimSlash(origin.pathname) !== '' && target.hostname.toLowerCase() === origin.hostname.toLowerCase();
}

function parseUrl(url: string, base?: URL): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
