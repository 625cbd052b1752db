import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../evaluate/evaluate';
import { contextOf, observationOf, specOf } from '../../testing/observation-fixtures';
import type { Evidence } from '../../verdict/verdict';
import { operatorPageDetector } from './operator-page.detector';
import { mayHoldPhrase, OPERATOR_PHRASES } from './operator-phrases';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
}

function typeOf(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  return name.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/plain';
}

function detect(name: string, status = 200, contentType = typeOf(name)) {
  return operatorPageDetector(contextOf({ status, headers: { 'content-type': contentType }, body: fixture(name) }));
}

describe('operatorPageDetector: operator pages served with 2xx', () => {
  it.each<[string, Evidence]>([
    ['nginx-return-200.txt', { phrase: 'service temporarily unavailable', matched: 'text', textLength: 55, mediaType: 'text/plain' }],
    ['envoy-upstream-connect-error.txt', { phrase: 'upstream connect error or disconnect/reset before headers', matched: 'text' }],
    ['maintenance-stub.html', { phrase: 'temporarily unavailable', matched: 'html body', links: 1 }],
    ['maintenance-title.html', { phrase: 'under maintenance', matched: 'html title', text: 'Under maintenance – Globex' }],
    ['meta-refresh-maintenance.html', { phrase: 'refresh to /maintenance/index.html', matched: 'html meta refresh' }],
    ['json-message-only.json', { phrase: 'service temporarily unavailable', matched: 'json $.message', text: 'Service temporarily unavailable' }],
  ])('%s', (name, evidence) => {
    const causes = detect(name);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.code).toBe('operator_page');
    expect(causes[0]?.severity).toBe('down');
    expect(causes[0]?.evidence).toMatchObject({ httpStatus: 200, ...evidence });
  });

  it('says what the page said, how long it is, and why that counts', () => {
    expect(detect('nginx-return-200.txt')[0]?.message).toBe(
      'a 55-character text/plain page saying "Service temporarily unavailable, please try again later" served with 200: operator text "service temporarily unavailable" is all it says',
    );
    expect(detect('json-message-only.json')[0]?.message).toBe(
      'a 1-field JSON object whose $.message says "Service temporarily unavailable" served with 200, carrying no data: operator text "service temporarily unavailable"',
    );
    expect(detect('maintenance-title.html')[0]?.message).toMatch(/^an HTML page titled "Under maintenance – Globex" served with 200, \d+ characters of text and 0 links: operator text "under maintenance" names the page$/);
  });

  it('reads nginx `return 200 "…"` served as application/octet-stream and untyped bodies as text', () => {
    const body = 'Down for maintenance. Back at 14:00 UTC.';
    for (const headers of [{ 'content-type': 'application/octet-stream' }, {}] as Array<Record<string, string>>) {
      const causes = operatorPageDetector(contextOf({ headers, body }));
      expect(causes.map((c) => c.evidence['phrase'])).toEqual(['down for maintenance']);
    }
  });

  it('knows curly apostrophes and capitals', () => {
    const causes = operatorPageDetector(contextOf({ headers: { 'content-type': 'text/plain' }, body: 'WE\u2019LL BE BACK SOON!' }));
    expect(causes[0]?.evidence['phrase']).toBe("we'll be back soon");
  });

  it('counts a weak phrase ("please try again later") only beside words about the server', () => {
    const said = (body: string) => operatorPageDetector(contextOf({ headers: { 'content-type': 'text/plain' }, body })).length;
    expect(said('Server busy. Please try again later.')).toBe(1);
    expect(said('This link has expired. Please try again.')).toBe(0);
    expect(said('Next scheduled maintenance: Sunday 02:00 UTC.')).toBe(0);
  });
});

describe('operatorPageDetector: what must not match', () => {
  it.each([
    ['hidden-and-script-text.html', 'text in scripts, styles, hidden elements, comments and templates is not seen'],
    ['docs-page-mentions-503.html', 'a page explaining 503 answers'],
    ['status-page-short.html', 'a status page listing a resolved incident'],
    ['metrics-mention.txt', 'metrics whose help text names an outage'],
    ['json-message-with-data.json', 'a JSON object with data beside its message'],
    ['spring-up.json', 'a health document'],
  ])('%s: %s', (name) => {
    expect(detect(name)).toEqual([]);
  });

  it('leaves other statuses to the status expectation', () => {
    expect(detect('nginx-return-200.txt', 503)).toEqual([]);
    expect(detect('maintenance-stub.html', 302)).toEqual([]);
  });

  it('leaves a page the monitor expects alone (expect.body.contains)', () => {
    const body = fixture('maintenance-stub.html');
    const watched = (contains: string[]) =>
      operatorPageDetector(contextOf({ headers: { 'content-type': 'text/html' }, body }, { expect: { body: { contains } } }));
    expect(watched(['temporarily unavailable'])).toEqual([]);
    expect(watched(['while we upgrade'])).toEqual([]);
    expect(watched(['Welcome'])).toHaveLength(1);
  });

  it('is off when detectors.operatorPage is false', () => {
    const observation = observationOf({ headers: { 'content-type': 'text/plain' }, body: fixture('nginx-return-200.txt') });
    expect(evaluate(specOf({ url: observation.url, detectors: { operatorPage: false } }), observation).status).toBe('up');
    expect(evaluate(specOf({ url: observation.url }), observation).status).toBe('down');
  });

  it('does not repeat what a proxy fingerprint or an error body already said', () => {
    // Envoy's own text is a fingerprint (lb_error_page); `{"error": …}` is a soft error.
    const envoy = observationOf({ headers: { 'content-type': 'text/plain', server: 'envoy' }, body: 'no healthy upstream' });
    const soft = observationOf({ headers: { 'content-type': 'application/json' }, body: '{"error":"Service temporarily unavailable"}' });
    for (const observation of [envoy, soft]) {
      const codes = evaluate(specOf({ url: observation.url }), observation).causes.map((c) => c.code);
      expect(codes.length).toBeGreaterThan(0);
      expect(codes).not.toContain('operator_page');
    }
  });

  it('reads the heading of a page with a form as a label, not a notice', () => {
    const body = '<html><head><title>Router</title></head><body><h1>Gateway timeout</h1><form><input name="t" value="30"><button>Save</button></form></body></html>';
    expect(operatorPageDetector(contextOf({ headers: { 'content-type': 'text/html' }, body }))).toEqual([]);
  });

  it('rejects a long page whatever its words', () => {
    const paragraph = '<p>Our service was built to stay up. This paragraph talks about the product and its many features at length.</p>';
    const body = `<html><head><title>Service unavailable</title></head><body>${paragraph.repeat(20)}</body></html>`;
    expect(operatorPageDetector(contextOf({ headers: { 'content-type': 'text/html' }, body }))).toEqual([]);
  });
});

describe('operatorPageDetector: a phrase said in passing', () => {
  const said = (body: string) =>
    operatorPageDetector(contextOf({ headers: { 'content-type': 'text/plain' }, body })).map((c) => c.evidence['phrase']);

  it.each([
    ['history', 'The expense tool was down for maintenance last night.'],
    ['a forecast', 'The dashboard will be temporarily unavailable on Sunday from 02:00 UTC.'],
    ['a denial', 'Exports are no longer temporarily unavailable.'],
    ['a condition', 'When a payment provider is temporarily unavailable, checkout switches to another one.'],
    ['a quotation', 'Our proxy answers "no healthy upstream" only when every backend fails.'],
    ['a reply promised', 'Thank you. Your message was sent. We will be back soon with an answer.'],
    ['a health answer with counters', 'OK - upstream connect errors: 0, bad gateway answers: 0'],
  ])('%s is not a notice', (_what, body) => {
    expect(said(body)).toEqual([]);
  });

  it('but the page speaking of itself is', () => {
    expect(said('If you are seeing this page, the site is down for maintenance.')).toEqual(['down for maintenance']);
    expect(said('We should be back online shortly. Service temporarily unavailable.')).toEqual(['be back online shortly']);
  });
});

describe('operator phrases', () => {
  it('each hold an anchor word, so the cheap pre-check never hides one', () => {
    expect(OPERATOR_PHRASES.filter((phrase) => !mayHoldPhrase(phrase))).toEqual([]);
  });
});
