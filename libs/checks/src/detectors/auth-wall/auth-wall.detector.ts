import type { Detector, EvaluationContext } from '../../context/evaluation-context';
import type { CompiledSpec } from '../../spec/compile-monitor-spec';
import { statusInRanges } from '../../spec/status-range';
import type { Cause } from '../../verdict/verdict';
import { readHtmlPage } from '../soft-error/html-page';
import { findLoginForm } from './login-form';
import { matchLoginUrl, type LoginUrlMatch } from './login-url';

const MAX_URL_CHARS = 300;

/**
 * The page is behind a login: `auth_wall` (down) for a 401/403 the monitor did not expect, for
 * redirects that end on a login or SSO page (by identity-provider host, sign-in path, OAuth or
 * SAML parameters, or a return parameter pointing back at the monitored page), for an unfollowed
 * 3xx whose `Location` is such a page, and for a 2xx that is plainly a sign-in form. A monitor
 * whose own URL is a login page is watching it on purpose, and is left alone.
 */
export const authWallDetector: Detector = (context) => {
  if (!context.spec.detectors.authWall) return [];
  const { observation, response } = context;
  const status = response.status;
  const expected = explicitlyExpects(context.spec, status);

  if (status === 401 || status === 403) return expected ? [] : [statusCause(context)];
  // A monitor whose own URL is a login page watches it on purpose (asked lazily: URL parsing is
  // the costly part, and most responses never get this far).
  const watchesLoginPage = (): boolean => matchLoginUrl(observation.url) !== undefined;

  if (observation.redirects.length > 0 && !watchesLoginPage()) {
    const match = matchLoginUrl(observation.finalUrl, observation.url);
    if (match) return [redirectCause(context, 'redirect', observation.finalUrl, match)];
  }

  const location = response.headers['location'];
  if (status >= 300 && status < 400 && location !== undefined && !expected && !watchesLoginPage()) {
    const target = resolve(location, observation.finalUrl);
    const match = target === undefined ? undefined : matchLoginUrl(target, observation.url);
    if (target !== undefined && match) return [redirectCause(context, 'location', target, match)];
  }

  if (status >= 200 && status < 300) {
    const page = readHtmlPage(response, context.mediaType);
    const heading = page ? findLoginForm(page) : undefined;
    if (heading !== undefined && !watchesLoginPage()) {
      return [
        {
          code: 'auth_wall',
          severity: 'down',
          message: `${status} response is a login form (${JSON.stringify(heading)}) at ${clip(observation.finalUrl)}`,
          evidence: {
            rule: 'login-form',
            httpStatus: status,
            heading,
            finalUrl: clip(observation.finalUrl),
            ...(page?.title !== undefined ? { title: page.title } : {}),
          },
        },
      ];
    }
  }
  return [];
};

/** Whether the monitor listed this status itself: a 401 it asked for is its success. */
function explicitlyExpects(spec: CompiledSpec, status: number): boolean {
  for (const expectation of spec.expectations) {
    if (expectation.kind === 'status') return expectation.explicit && statusInRanges(status, expectation.ranges);
  }
  return false;
}

function statusCause(context: EvaluationContext): Cause {
  const { response, observation } = context;
  const challenge = response.headers['www-authenticate'];
  const what = response.status === 401 ? 'authentication required' : 'access forbidden';
  return {
    code: 'auth_wall',
    severity: 'down',
    message: `${response.status} from ${clip(observation.finalUrl)}: ${what}${challenge !== undefined ? ` (www-authenticate: ${challenge})` : ''}`,
    evidence: {
      rule: 'status',
      httpStatus: response.status,
      wwwAuthenticate: challenge ?? null,
      finalUrl: clip(observation.finalUrl),
    },
  };
}

function redirectCause(context: EvaluationContext, rule: 'redirect' | 'location', loginUrl: string, match: LoginUrlMatch): Cause {
  const { observation, response } = context;
  const chain = observation.redirects.map((hop) => `${hop.status} ${clip(hop.url)} -> ${clip(hop.location)}`);
  if (rule === 'location') chain.push(`${response.status} ${clip(observation.finalUrl)} -> ${clip(loginUrl)}`);
  const how = rule === 'redirect' ? 'redirected to a login page' : `${response.status} points to a login page`;
  return {
    code: 'auth_wall',
    severity: 'down',
    message: `${how}: ${clip(loginUrl)} (${match.rule} ${match.detail})`,
    evidence: {
      rule,
      httpStatus: response.status,
      loginUrl: clip(loginUrl),
      matched: `${match.rule} ${match.detail}`,
      chain,
    },
  };
}

function resolve(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

/** Login URLs carry long OAuth and SAML parameters; evidence keeps the part a person reads. */
function clip(url: string): string {
  return url.length > MAX_URL_CHARS ? `${url.slice(0, MAX_URL_CHARS)}…` : url;
}
