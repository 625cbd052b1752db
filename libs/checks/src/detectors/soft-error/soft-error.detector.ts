import type { Detector } from '../../context/evaluation-context';
import type { Cause, Evidence } from '../../verdict/verdict';
import { readHealthDocument } from '../health-document/read-health-document';
import { findHtmlErrorPage, type HtmlErrorMatch } from './html-error-page';
import { readHtmlPage } from './html-page';
import { findJsonError, type JsonErrorMatch } from './json-error-body';

/**
 * A 2xx whose body is an error: `soft_error` for an error payload (`{"error": …}`, GraphQL
 * `errors`, JSend `fail`/`error`, a 4xx/5xx `code`, `fault`, `exception`) or an error page
 * (by title, heading or framework banner); `envelope_failure` for a success flag set to false
 * (`{"ok": false}`, `{"success": false}`). GraphQL errors beside non-null `data` are a partial
 * success: degraded, not down. Other statuses are left to the status expectation, and health
 * documents to the health-document detector, so nothing is reported twice.
 */
export const softErrorDetector: Detector = (context) => {
  if (!context.spec.detectors.softError) return [];
  const { response, json, mediaType } = context;
  if (response.status < 200 || response.status > 299) return [];
  if (json.parsed) {
    if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) return [];
    if (readHealthDocument(json.value, mediaType, response.body)) return [];
    const match = findJsonError(json.value);
    return match ? [jsonCause(match, response.status)] : [];
  }
  const page = readHtmlPage(response, mediaType);
  const match = page ? findHtmlErrorPage(page) : undefined;
  return match && page ? [htmlCause(match, response.status, page.title, page.h1)] : [];
};

function jsonCause(match: JsonErrorMatch, status: number): Cause {
  const evidence: Evidence = {
    httpStatus: status,
    matched: `json ${match.path}`,
    ...(match.message !== undefined ? { message: match.message } : {}),
    ...(match.errorCode !== undefined ? { errorCode: match.errorCode } : {}),
    ...(match.partial ? { partial: true } : {}),
  };
  const said = match.message !== undefined ? ` ${JSON.stringify(match.message)}` : '';
  if (match.code === 'envelope_failure') {
    return {
      code: 'envelope_failure',
      severity: 'down',
      message: `${status} response envelope reports failure: ${match.path} = ${JSON.stringify(match.value)}${said}`,
      evidence,
    };
  }
  if (match.partial) {
    return {
      code: 'soft_error',
      severity: 'degraded',
      message: `${status} response carries errors beside its data (partial success): ${match.path}${said}`,
      evidence,
    };
  }
  const shown = match.value !== undefined ? ` = ${JSON.stringify(match.value)}` : '';
  return { code: 'soft_error', severity: 'down', message: `${status} response body is an error: ${match.path}${shown}${said}`, evidence };
}

function htmlCause(match: HtmlErrorMatch, status: number, title: string | undefined, h1: string | undefined): Cause {
  return {
    code: 'soft_error',
    severity: 'down',
    message: `${status} response is an error page (${match.page}): ${match.matched} ${JSON.stringify(match.text)}`,
    evidence: {
      httpStatus: status,
      matched: match.matched,
      page: match.page,
      message: match.text,
      ...(title !== undefined ? { title: clip(title) } : {}),
      ...(h1 !== undefined ? { h1: clip(h1) } : {}),
    },
  };
}

function clip(text: string): string {
  return text.length > 200 ? text.slice(0, 200) : text;
}
