import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextOf } from '../../testing/observation-fixtures';
import type { Evidence } from '../../verdict/verdict';
import { softErrorDetector } from './soft-error.detector';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
}

function contentTypeOf(name: string): string {
  return name.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
}

function detect(name: string, status = 200, contentType = contentTypeOf(name)) {
  return softErrorDetector(contextOf({ status, headers: { 'content-type': contentType }, body: fixture(name) }));
}

interface Expected {
  code: 'soft_error' | 'envelope_failure';
  severity: 'down' | 'degraded';
  evidence: Evidence;
}

describe('softErrorDetector: JSON error bodies served as 2xx', () => {
  it.each<[string, Expected]>([
    ['api-user-not-found.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.error', message: 'User not found', errorCode: 404 } }],
    ['stripe-resource-missing.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.error', message: "No such customer: 'cus_NffrFeUfNV2Hib'", errorCode: 'resource_missing' } }],
    ['graphql-errors-data-null.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.errors', message: 'Unexpected error value: "connect ECONNREFUSED 10.0.2.15:5432"', errorCode: 'INTERNAL_SERVER_ERROR' } }],
    ['graphql-validation-no-data.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.errors', message: 'Cannot query field "nmae" on type "User". Did you mean "name"?', errorCode: 'GRAPHQL_VALIDATION_FAILED' } }],
    ['graphql-partial-data.json', { code: 'soft_error', severity: 'degraded',
      evidence: { matched: 'json $.errors', message: 'Name for character with ID 1002 could not be fetched.', partial: true } }],
    ['jsend-error.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.status', message: 'Unable to communicate with database' } }],
    ['jsend-fail.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.status' } }],
    ['code-500-message.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.code', message: 'Internal error. Please retry your request.', errorCode: 500 } }],
    ['nestjs-status-code.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.statusCode', message: 'Service Unavailable Exception: upstream inventory service timed out', errorCode: 503 } }],
    ['problem-details-200.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.status', message: 'Your current balance is 30, but that costs 50.', errorCode: 403 } }],
    ['apigee-fault.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.fault', message: 'Invalid ApiKey' } }],
    ['java-exception.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.exception', message: 'org.hibernate.exception.JDBCConnectionException' } }],
    ['aws-lambda-timeout.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.errorMessage', message: '2026-11-01T11:59:58.903Z 5c1d8a8e-7d0b-4a5f-9e0e-0f6a2b3c4d5e Task timed out after 3.00 seconds' } }],
    ['oauth-invalid-grant.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.error', message: 'invalid_grant' } }],
    ['rails-validation-errors.json', { code: 'soft_error', severity: 'down',
      evidence: { matched: 'json $.errors', message: 'email: has already been taken' } }],
    ['slack-invalid-auth.json', { code: 'envelope_failure', severity: 'down',
      evidence: { matched: 'json $.ok', message: 'invalid_auth' } }],
    ['success-false-message.json', { code: 'envelope_failure', severity: 'down',
      evidence: { matched: 'json $.success', message: 'Session expired, please log in again' } }],
    ['dotnet-result-is-success-false.json', { code: 'envelope_failure', severity: 'down',
      evidence: { matched: 'json $.isSuccess', message: 'The order with Id = 42 was not found', errorCode: 'Orders.NotFound' } }],
    ['dotnet-identity-succeeded-false.json', { code: 'envelope_failure', severity: 'down',
      evidence: { matched: 'json $.Succeeded', message: "Username 'ada@example.com' is already taken." } }],
    ['exchange-rate-result-error.json', { code: 'envelope_failure', severity: 'down',
      evidence: { matched: 'json $.result', message: 'invalid-key' } }],
  ])('%s', (name, expected) => {
    const causes = detect(name);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.code).toBe(expected.code);
    expect(causes[0]?.severity).toBe(expected.severity);
    expect(causes[0]?.evidence).toMatchObject({ httpStatus: 200, ...expected.evidence });
    if (expected.evidence['partial'] === undefined) expect(causes[0]?.evidence['partial']).toBeUndefined();
  });

  it('names the field and the error in one readable line', () => {
    expect(detect('api-user-not-found.json')[0]?.message).toBe('200 response body is an error: $.error "User not found"');
    expect(detect('slack-invalid-auth.json')[0]?.message).toBe('200 response envelope reports failure: $.ok = false "invalid_auth"');
    expect(detect('jsend-error.json')[0]?.message).toBe('200 response body is an error: $.status = "error" "Unable to communicate with database"');
    expect(detect('graphql-partial-data.json')[0]?.message).toBe(
      '200 response carries errors beside its data (partial success): $.errors "Name for character with ID 1002 could not be fetched."',
    );
  });

  it('reads the body whatever 2xx status it came with', () => {
    expect(detect('slack-invalid-auth.json', 201)[0]?.evidence['httpStatus']).toBe(201);
  });
});

describe('softErrorDetector: HTML error pages served as 2xx', () => {
  it.each<[string, { matched: string; page: string; message: string }]>([
    ['heroku-application-error.html', { matched: 'html title', page: 'heroku', message: 'Application Error' }],
    ['spring-whitelabel.html', { matched: 'html h1', page: 'spring-whitelabel', message: 'Whitelabel Error Page' }],
    ['rails-500.html', { matched: 'html title', page: 'rails', message: "We're sorry, but something went wrong (500)" }],
    ['django-server-error.html', { matched: 'html title', page: 'error-title', message: 'Server Error (500)' }],
    ['php-fatal-error.html', { matched: 'html body', page: 'php',
      message: expect.stringMatching(/^Fatal error: Uncaught PDOException: SQLSTATE\[HY000\] \[2002\] Connection refused in \/var\/www\/html\/includes\/db\.php:14 Stack trace: #0 .*PDO->__construct/) }],
    ['flask-500.html', { matched: 'html title', page: 'error-title', message: '500 Internal Server Error' }],
    ['werkzeug-debugger.html', { matched: 'html body', page: 'werkzeug',
      message: 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect to server // Werkzeug Debugger' }],
    ['express-cannot-get.html', { matched: 'html body', page: 'express', message: 'Cannot GET /api/v2/orders' }],
    ['aspnet-yellow-screen.html', { matched: 'html title', page: 'aspnet', message: 'Runtime Error' }],
    ['tomcat-500.html', { matched: 'html title', page: 'tomcat', message: 'HTTP Status 500 – Internal Server Error' }],
    ['iis-404.html', { matched: 'html title', page: 'error-title', message: '404 - File or directory not found.' }],
    ['wordpress-page-not-found.html', { matched: 'html title', page: 'error-title', message: 'Page not found – Acme Engineering Blog' }],
    ['maintenance-back-soon.html', { matched: 'html title', page: 'maintenance', message: 'We’ll be back soon!' }],
    ['next-500.html', { matched: 'html title', page: 'error-title', message: '500: Internal Server Error' }],
  ])('%s', (name, expected) => {
    const causes = detect(name);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.code).toBe('soft_error');
    expect(causes[0]?.severity).toBe('down');
    expect(causes[0]?.evidence).toMatchObject({ httpStatus: 200, ...expected });
  });

  it('puts the page kind and the matched text in the message', () => {
    expect(detect('heroku-application-error.html')[0]?.message).toBe('200 response is an error page (heroku): html title "Application Error"');
  });

  it('recognises an untyped body that is plainly HTML', () => {
    const causes = softErrorDetector(contextOf({ body: fixture('flask-500.html') }));
    expect(causes[0]?.evidence['page']).toBe('error-title');
  });

  it('reads only the first 64 KiB of a page', () => {
    const body = `<!doctype html><html><head><meta charset="utf-8"></head><body>${'<p>lorem ipsum</p>'.repeat(4000)}<title>500 Internal Server Error</title></body></html>`;
    expect(softErrorDetector(contextOf({ headers: { 'content-type': 'text/html' }, body }))).toEqual([]);
  });
});

describe('softErrorDetector: what must not match', () => {
  it.each<[string]>([
    ['ok-error-null.json'],
    ['ok-errors-empty.json'],
    ['ok-error-count-zero.json'],
    ['ok-success-true.json'],
    ['ok-slack-true.json'],
    ['ok-json-list.json'],
    ['ok-code-200.json'],
    ['ok-business-code.json'],
    ['ok-order-status-failed.json'],
    ['ok-error-false.json'],
    // A health document is the health-document detector's to judge; reporting it here too would double it.
    ['ok-terminus-health-error.json'],
    ['ok-product-page-mentions-error.html'],
    ['ok-article-fix-404.html'],
    ['ok-mdn-error-reference.html'],
    ['ok-rails-blog-quoting-500.html'],
    ['ok-homepage.html'],
  ])('%s', (name) => {
    expect(detect(name)).toEqual([]);
  });

  it.each<[string, number]>([
    ['api-user-not-found.json', 404],
    ['heroku-application-error.html', 503],
    ['slack-invalid-auth.json', 304],
  ])('%s with status %i: the status expectation speaks for it', (name, status) => {
    expect(detect(name, status)).toEqual([]);
  });

  it('stays quiet when the monitor turned it off', () => {
    const context = contextOf(
      { headers: { 'content-type': 'application/json' }, body: fixture('slack-invalid-auth.json') },
      { detectors: { softError: false } },
    );
    expect(softErrorDetector(context)).toEqual([]);
  });

  it('leaves a bare failing health status to the health-document detector', () => {
    expect(softErrorDetector(contextOf({ headers: { 'content-type': 'application/json' }, body: '{"status":"error"}' }))).toEqual([]);
  });

  it('does not read an error title out of a JSON string or plain text', () => {
    expect(softErrorDetector(contextOf({ headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' }))).toEqual([]);
    expect(softErrorDetector(contextOf({ headers: { 'content-type': 'application/json' }, body: '"error"' }))).toEqual([]);
  });
});

describe('softErrorDetector: a heading over a settings form', () => {
  it('is a field label, not an error page', () => {
    const body = '<html><head><title>Router</title></head><body><h1>Gateway timeout</h1><form><input name="timeout" value="30"><button>Save</button></form></body></html>';
    expect(softErrorDetector(contextOf({ headers: { 'content-type': 'text/html' }, body }))).toEqual([]);
  });

  it('while an error page with a search box is still one', () => {
    const body = '<html><head><title>Acme</title></head><body><h1>Page not found</h1><form action="/search"><input type="search" name="q"></form></body></html>';
    expect(softErrorDetector(contextOf({ headers: { 'content-type': 'text/html' }, body }))[0]?.code).toBe('soft_error');
  });
});
