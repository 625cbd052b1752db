import type { Detector } from '../../context/evaluation-context';
import type { CompiledSpec } from '../../spec/compile-monitor-spec';
import type { Cause } from '../../verdict/verdict';
import { readHealthDocument } from '../health-document/read-health-document';
import { normaliseText } from './operator-phrases';
import { recogniseOperatorPage, type OperatorPageMatch } from './recognise-operator-page';

/**
 * An operator's own error or maintenance text served with 2xx — a `return 200 "Service
 * temporarily unavailable"` stub, a maintenance page with a logo and a sentence, a
 * `{"message": "Service temporarily unavailable"}`, Envoy's `no healthy upstream` passed through
 * with 200 — is `operator_page`, down: no fingerprint knows it, but its words and its size say it.
 *
 * Left alone: other statuses (the status expectation judges them), health documents (their
 * detector reads them), and a page whose text the monitor asked for in `expect.body.contains`
 * (a monitor of the maintenance page itself). Evaluation drops this cause when a proxy's page
 * (`lb_error_page`) or an error body (`soft_error`, `envelope_failure`) already explains it.
 */
export const operatorPageDetector: Detector = (context) => {
  const { response, spec, mediaType, json } = context;
  if (response.status < 200 || response.status > 299) return [];
  const match = recogniseOperatorPage({ body: response.body, bodyTruncated: response.bodyTruncated, mediaType, json, response });
  if (!match || expectsText(spec, match)) return [];
  if (json.parsed && readHealthDocument(json.value, mediaType, response.body)) return [];
  return [causeOf(match, response.status, mediaType)];
};

/** Whether the monitor expects this text: one of its `body.contains` is in what matched, or names the phrase. */
function expectsText(spec: CompiledSpec, match: OperatorPageMatch): boolean {
  const said = normaliseText(match.text);
  return spec.expect.body.contains.some((text) => {
    const expected = normaliseText(text);
    return expected.length > 0 && (said.includes(expected) || expected.includes(match.phrase));
  });
}

function causeOf(match: OperatorPageMatch, status: number, mediaType: string): Cause {
  const type = mediaType === '' ? 'untyped' : mediaType;
  const said = JSON.stringify(match.text);
  const why = `operator text "${match.phrase}"`;
  let message: string;
  if (match.place === 'text') {
    message = `a ${match.textLength}-character ${type} page saying ${said} served with ${status}: ${why} is all it says`;
  } else if (match.place === 'html title' || match.place === 'html h1') {
    const role = match.place === 'html title' ? 'titled' : 'headed';
    message = `an HTML page ${role} ${said} served with ${status}, ${match.textLength} characters of text and ${match.links ?? 0} links: ${why} names the page`;
  } else if (match.place === 'html body') {
    message = `a ${match.textLength}-character HTML page saying ${said} served with ${status}, ${match.links ?? 0} links: ${why} dominates a page with little else`;
  } else if (match.place === 'html meta refresh') {
    message = `a ${match.textLength}-character HTML page that only waits to ${match.phrase}, served with ${status}: an outage stub`;
  } else {
    const path = match.place.slice('json '.length);
    message = `a ${match.fields ?? 0}-field JSON object whose ${path} says ${said} served with ${status}, carrying no data: ${why}`;
  }
  return {
    code: 'operator_page',
    severity: 'down',
    message,
    evidence: {
      httpStatus: status,
      phrase: match.phrase,
      matched: match.place,
      text: match.text,
      textLength: match.textLength,
      mediaType: type,
      ...(match.links !== undefined ? { links: match.links } : {}),
    },
  };
}
