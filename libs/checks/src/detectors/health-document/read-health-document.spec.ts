import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthReport } from './health-report';
import { readHealthDocument } from './read-health-document';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
}

/** Reads a fixture as the detector would: JSON parsed when it is JSON, the raw text otherwise. */
function read(name: string, mediaType: string): HealthReport | undefined {
  const body = fixture(name);
  return readHealthDocument(name.endsWith('.json') ? JSON.parse(body) : undefined, mediaType, body);
}

type Expected = Pick<HealthReport, 'format' | 'overall' | 'overallRaw' | 'failed' | 'degraded'> & { outputs?: string[] };

const JSON_TYPE = 'application/json';
const HEALTH_JSON = 'application/health+json';

describe('readHealthDocument: recognised documents', () => {
  it.each<[string, string, Expected]>([
    ['spring-boot-3-up.json', 'application/vnd.spring-boot.actuator.v3+json',
      { format: 'spring-actuator', overall: 'pass', overallRaw: 'UP', failed: [], degraded: [] }],
    ['spring-boot-3-db-redis-down.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'fail', overallRaw: 'DOWN', failed: ['db', 'redis'], degraded: [], outputs: ['db', 'redis'] }],
    ['spring-boot-composite-broker-partial-down.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'fail', overallRaw: 'DOWN', failed: ['broker.us2'], degraded: [], outputs: ['broker.us2'] }],
    ['spring-boot-2.0-details-db-down.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'fail', overallRaw: 'DOWN', failed: ['db'], degraded: [], outputs: ['db'] }],
    ['spring-boot-1.5-flat-mongo-down.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'fail', overallRaw: 'DOWN', failed: ['mongo'], degraded: [], outputs: ['mongo'] }],
    ['spring-boot-readiness-out-of-service.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'fail', overallRaw: 'OUT_OF_SERVICE', failed: ['readinessState'], degraded: [] }],
    // Elasticsearch's own cluster colour lives in `details`: facts, not a sub-component.
    ['spring-boot-elasticsearch-yellow-in-details.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'pass', overallRaw: 'UP', failed: [], degraded: [] }],
    ['spring-boot-down-without-details.json', 'application/vnd.spring-boot.actuator.v3+json',
      { format: 'spring-actuator', overall: 'fail', overallRaw: 'DOWN', failed: [], degraded: [] }],
    ['spring-boot-unknown.json', JSON_TYPE,
      { format: 'spring-actuator', overall: 'unknown', overallRaw: 'UNKNOWN', failed: [], degraded: [] }],
    ['ietf-health-draft-example.json', HEALTH_JSON,
      { format: 'ietf-health', overall: 'pass', overallRaw: 'pass', failed: [],
        degraded: ['cassandra:connections', 'cpu:utilization', 'memory:utilization'] }],
    // Same document without the media type: recognised by the draft's per-node arrays.
    ['ietf-health-draft-example.json', JSON_TYPE,
      { format: 'ietf-health', overall: 'pass', overallRaw: 'pass', failed: [],
        degraded: ['cassandra:connections', 'cpu:utilization', 'memory:utilization'] }],
    ['ietf-health-db-fail.json', HEALTH_JSON,
      { format: 'ietf-health', overall: 'fail', overallRaw: 'fail', failed: ['postgres:connections'], degraded: [], outputs: ['postgres:connections'] }],
    ['ietf-health-warn-no-checks.json', HEALTH_JSON,
      { format: 'ietf-health', overall: 'warn', overallRaw: 'warn', failed: [], degraded: [] }],
    ['ietf-health-pass.json', HEALTH_JSON,
      { format: 'ietf-health', overall: 'pass', overallRaw: 'pass', failed: [], degraded: [] }],
    ['dotnet-plain-unhealthy.txt', 'text/plain',
      { format: 'dotnet', overall: 'fail', overallRaw: 'Unhealthy', failed: [], degraded: [] }],
    ['dotnet-plain-degraded.txt', 'text/plain',
      { format: 'dotnet', overall: 'warn', overallRaw: 'Degraded', failed: [], degraded: [] }],
    ['dotnet-plain-healthy.txt', 'text/plain',
      { format: 'dotnet', overall: 'pass', overallRaw: 'Healthy', failed: [], degraded: [] }],
    ['dotnet-healthchecks-ui-sql-unhealthy.json', JSON_TYPE,
      { format: 'dotnet', overall: 'fail', overallRaw: 'Unhealthy', failed: ['sqlserver'], degraded: [], outputs: ['sqlserver'] }],
    ['dotnet-healthchecks-ui-degraded.json', JSON_TYPE,
      { format: 'dotnet', overall: 'warn', overallRaw: 'Degraded', failed: [], degraded: ['blob-storage'], outputs: ['blob-storage'] }],
    ['dotnet-custom-writer-checks-array.json', JSON_TYPE,
      { format: 'dotnet', overall: 'fail', overallRaw: 'Unhealthy', failed: ['rabbitmq'], degraded: [], outputs: ['rabbitmq'] }],
    // The mission's lie: overall "ok" beside a disconnected database.
    ['simple-lying-200-database-disconnected.json', JSON_TYPE,
      { format: 'simple', overall: 'pass', overallRaw: 'ok', failed: ['database'], degraded: [] }],
    ['simple-checks-object-queue-error.json', JSON_TYPE,
      { format: 'simple', overall: 'pass', overallRaw: 'ok', failed: ['queue'], degraded: [], outputs: ['queue'] }],
    ['simple-checks-array-degraded.json', JSON_TYPE,
      { format: 'simple', overall: 'warn', overallRaw: 'degraded', failed: [], degraded: ['search'], outputs: ['search'] }],
    ['simple-green-yellow-red.json', JSON_TYPE,
      { format: 'simple', overall: 'fail', overallRaw: 'red', failed: ['ledger'], degraded: ['fx-rates'], outputs: ['ledger'] }],
    ['simple-flat-booleans.json', JSON_TYPE,
      { format: 'simple', overall: 'pass', overallRaw: 'up', failed: ['dbConnected'], degraded: [] }],
    ['nestjs-terminus-error.json', JSON_TYPE,
      { format: 'simple', overall: 'fail', overallRaw: 'error', failed: ['database'], degraded: [], outputs: ['database'] }],
    ['nestjs-terminus-ok.json', JSON_TYPE,
      { format: 'simple', overall: 'pass', overallRaw: 'ok', failed: [], degraded: [] }],
    ['simple-ok-minimal.json', JSON_TYPE,
      { format: 'simple', overall: 'pass', overallRaw: 'ok', failed: [], degraded: [] }],
    ['simple-down-with-message.json', JSON_TYPE,
      { format: 'simple', overall: 'fail', overallRaw: 'down', failed: [], degraded: [] }],
  ])('%s (%s)', (name, mediaType, expected) => {
    const report = read(name, mediaType);
    expect(report).toBeDefined();
    const { outputs, ...rest } = expected;
    expect(report).toMatchObject(rest);
    expect(Object.keys(report?.outputs ?? {})).toEqual(outputs ?? []);
  });

  it('keeps the dependency\'s own error text, clipped to 200 characters', () => {
    const report = read('spring-boot-3-db-redis-down.json', JSON_TYPE);
    const db = report?.outputs['db'] ?? '';
    expect(db.startsWith('org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection')).toBe(true);
    expect(db).toHaveLength(200);
    expect(report?.outputs['redis']).toBe('org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis');
  });

  it('reads a document with checks but no overall status, judging by the worst check', () => {
    const report = readHealthDocument({ checks: { db: { status: 'fail' }, cache: { status: 'pass' } } }, JSON_TYPE, '');
    expect(report).toEqual({ format: 'simple', overall: 'fail', overallRaw: '', failed: ['db'], degraded: [], outputs: {} });
  });

  it('accepts the status key in any case, as custom .NET writers emit it', () => {
    const report = readHealthDocument({ Status: 'Unhealthy', Checks: [{ Name: 'sql', Status: 'Unhealthy' }] }, JSON_TYPE, '');
    expect(report).toMatchObject({ format: 'dotnet', overall: 'fail', failed: ['sql'] });
  });
});

describe('readHealthDocument: bodies that are not health documents', () => {
  it.each<[string, string]>([
    ['not-health-order-shipped.json', JSON_TYPE],
    ['not-health-job-failed.json', JSON_TYPE],
    ['not-health-jsend-error.json', JSON_TYPE],
    ['not-health-jsend-success-payload.json', JSON_TYPE],
    ['not-health-product-available.json', JSON_TYPE],
    ['not-health-statuspage-summary.json', JSON_TYPE],
    ['not-health-ok-with-list.json', JSON_TYPE],
  ])('%s', (name, mediaType) => {
    expect(read(name, mediaType)).toBeUndefined();
  });

  it.each<[string, unknown, string, string]>([
    ['a record with a status from the vocabulary', { id: 7, status: 'failed' }, JSON_TYPE, ''],
    ['a numeric status', { status: 404, message: 'Not Found' }, JSON_TYPE, ''],
    ['an unknown status word', { status: 'shipped' }, JSON_TYPE, ''],
    ['JSend fail', { status: 'fail', data: { title: 'A title is required' } }, JSON_TYPE, ''],
    ['a JSON list', [{ status: 'down' }], JSON_TYPE, ''],
    ['a list of results beside a lower-case status', { status: 'ok', results: [{ name: 'login test', status: 'failed' }] }, JSON_TYPE, ''],
    ['plain text that is not exactly a .NET status', undefined, 'text/plain', 'Healthy but slow'],
    ['plain text "OK"', undefined, 'text/plain', 'OK'],
    ['".NET words" in an HTML page', undefined, 'text/html', 'Unhealthy'],
  ])('%s', (_label, json, mediaType, body) => {
    expect(readHealthDocument(json, mediaType, body)).toBeUndefined();
  });
});
