import type { Detector } from '../../context/evaluation-context';
import type { CompiledSpec } from '../../spec/compile-monitor-spec';
import { statusInRanges } from '../../spec/status-range';
import type { Cause } from '../../verdict/verdict';
import { recogniseErrorPage, type ErrorPageMatch } from './recognise-error-page';

/**
 * A proxy's, load balancer's or CDN's own page (an error page, or a default "welcome" page) is
 * `lb_error_page`, down, whatever the status: a 200 carrying nginx's 502 page is the lie this
 * catches, and a welcome page means the application is not being served at all.
 *
 * The one exception is a page the monitor asked for: when `expect.status` explicitly lists the
 * non-2xx status this response has (a monitor that expects the maintenance 503), the page is
 * what was expected and nothing is reported.
 */
export const errorPageDetector: Detector = (context) => {
  const { response, spec } = context;
  const match = recogniseErrorPage(response);
  if (!match || expectsStatus(spec, response.status)) return [];
  return [causeOf(match, response.status)];
};

/** Whether the monitor explicitly expects this (non-2xx) status: read from the compiled expectation, parsed once. */
function expectsStatus(spec: CompiledSpec, status: number): boolean {
  if (status >= 200 && status < 300) return false;
  for (const expectation of spec.expectations) {
    if (expectation.kind === 'status') return expectation.explicit && statusInRanges(status, expectation.ranges);
  }
  return false;
}

function causeOf(match: ErrorPageMatch, status: number): Cause {
  const welcome = match.page === 'default welcome page';
  return {
    code: 'lb_error_page',
    severity: 'down',
    message: welcome
      ? `${match.vendor}'s default welcome page, served with status ${status}: the application is not being served`
      : `${match.vendor}'s own ${match.page} page, served with status ${status}`,
    evidence: { vendor: match.vendor, page: match.page, httpStatus: status, signals: match.signals },
  };
}
