import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextOf } from '../../testing/observation-fixtures';
import { healthDocumentDetector } from './health-document.detector';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
}

interface Expected {
  code: 'health_failed' | 'health_degraded';
  severity: 'down' | 'degraded';
  message: string;
  failed: string[];
  degraded: string[];
  outputs?: string[];
}

describe('healthDocumentDetector', () => {
  it.each<[string, string, number, Expected]>([
    ['spring-boot-3-db-redis-down.json', 'application/json', 503, {
      code: 'health_failed', severity: 'down',
      message: 'health document (spring-actuator) reports DOWN: db, redis',
      failed: ['db', 'redis'], degraded: [],
      outputs: [
        'db: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is org.postgresql.util.PSQLException: Connection to db.internal:5432 refused. Check that t',
        'redis: org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis',
      ],
    }],
    ['spring-boot-composite-broker-partial-down.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down',
      message: 'health document (spring-actuator) reports DOWN: broker.us2',
      failed: ['broker.us2'], degraded: [], outputs: ['broker.us2: java.net.SocketTimeoutException: Connect timed out'],
    }],
    ['spring-boot-2.0-details-db-down.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (spring-actuator) reports DOWN: db', failed: ['db'], degraded: [],
    }],
    ['spring-boot-down-without-details.json', 'application/vnd.spring-boot.actuator.v3+json', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (spring-actuator) reports DOWN', failed: [], degraded: [],
    }],
    ['spring-boot-readiness-out-of-service.json', 'application/json', 503, {
      code: 'health_failed', severity: 'down',
      message: 'health document (spring-actuator) reports OUT_OF_SERVICE: readinessState', failed: ['readinessState'], degraded: [],
    }],
    ['simple-lying-200-database-disconnected.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down',
      message: 'health document (simple) reports ok, but failed: database', failed: ['database'], degraded: [],
    }],
    ['simple-checks-object-queue-error.json', 'application/json; charset=utf-8', 200, {
      code: 'health_failed', severity: 'down',
      message: 'health document (simple) reports ok, but failed: queue', failed: ['queue'], degraded: [],
      outputs: ['queue: AMQP connection closed: ECONNREFUSED 10.1.4.9:5672'],
    }],
    ['simple-green-yellow-red.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down',
      message: 'health document (simple) reports red: ledger', failed: ['ledger'], degraded: ['fx-rates'],
      outputs: ['ledger: replication lag 412s'],
    }],
    ['simple-flat-booleans.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (simple) reports up, but failed: dbConnected', failed: ['dbConnected'], degraded: [],
    }],
    ['nestjs-terminus-error.json', 'application/json', 503, {
      code: 'health_failed', severity: 'down', message: 'health document (simple) reports error: database', failed: ['database'], degraded: [],
      outputs: ['database: Connection terminated due to connection timeout'],
    }],
    ['ietf-health-db-fail.json', 'application/health+json', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (ietf-health) reports fail: postgres:connections',
      failed: ['postgres:connections'], degraded: [], outputs: ['postgres:connections: dial tcp 10.0.3.17:5432: connect: connection refused'],
    }],
    ['dotnet-plain-unhealthy.txt', 'text/plain', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (dotnet) reports Unhealthy', failed: [], degraded: [],
    }],
    ['dotnet-healthchecks-ui-sql-unhealthy.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (dotnet) reports Unhealthy: sqlserver', failed: ['sqlserver'], degraded: [],
    }],
    ['dotnet-custom-writer-checks-array.json', 'application/json', 200, {
      code: 'health_failed', severity: 'down', message: 'health document (dotnet) reports Unhealthy: rabbitmq', failed: ['rabbitmq'], degraded: [],
      outputs: ['rabbitmq: None of the specified endpoints were reachable'],
    }],
    ['ietf-health-draft-example.json', 'application/health+json', 200, {
      code: 'health_degraded', severity: 'degraded',
      message: 'health document (ietf-health) reports pass, but degraded: cassandra:connections, cpu:utilization, memory:utilization',
      failed: [], degraded: ['cassandra:connections', 'cpu:utilization', 'memory:utilization'],
    }],
    ['ietf-health-warn-no-checks.json', 'application/health+json', 200, {
      code: 'health_degraded', severity: 'degraded', message: 'health document (ietf-health) reports warn', failed: [], degraded: [],
    }],
    ['dotnet-plain-degraded.txt', 'text/plain; charset=utf-8', 200, {
      code: 'health_degraded', severity: 'degraded', message: 'health document (dotnet) reports Degraded', failed: [], degraded: [],
    }],
    ['dotnet-healthchecks-ui-degraded.json', 'application/json', 200, {
      code: 'health_degraded', severity: 'degraded', message: 'health document (dotnet) reports Degraded: blob-storage',
      failed: [], degraded: ['blob-storage'], outputs: ['blob-storage: Blob storage responded slowly'],
    }],
    ['simple-checks-array-degraded.json', 'application/json', 200, {
      code: 'health_degraded', severity: 'degraded', message: 'health document (simple) reports degraded: search', failed: [], degraded: ['search'],
    }],
  ])('%s → %#', (name, contentType, status, expected) => {
    const causes = healthDocumentDetector(contextOf({ status, headers: { 'content-type': contentType }, body: fixture(name) }));
    expect(causes).toHaveLength(1);
    const [cause] = causes;
    expect(cause?.code).toBe(expected.code);
    expect(cause?.severity).toBe(expected.severity);
    expect(cause?.message).toBe(expected.message);
    expect(cause?.evidence['failed']).toEqual(expected.failed);
    expect(cause?.evidence['degraded']).toEqual(expected.degraded);
    if (expected.outputs) expect(cause?.evidence['outputs']).toEqual(expected.outputs);
    expect(typeof cause?.evidence['format']).toBe('string');
    expect(typeof cause?.evidence['overall']).toBe('string');
  });

  it.each<[string, string]>([
    ['spring-boot-3-up.json', 'application/json'],
    ['spring-boot-elasticsearch-yellow-in-details.json', 'application/json'],
    ['spring-boot-unknown.json', 'application/json'],
    ['ietf-health-pass.json', 'application/health+json'],
    ['dotnet-plain-healthy.txt', 'text/plain'],
    ['nestjs-terminus-ok.json', 'application/json'],
    ['simple-ok-minimal.json', 'application/json'],
    ['not-health-order-shipped.json', 'application/json'],
    ['not-health-job-failed.json', 'application/json'],
    ['not-health-jsend-error.json', 'application/json'],
    ['not-health-jsend-success-payload.json', 'application/json'],
    ['not-health-product-available.json', 'application/json'],
    ['not-health-statuspage-summary.json', 'application/json'],
    ['not-health-ok-with-list.json', 'application/json'],
  ])('finds nothing in %s', (name, contentType) => {
    expect(healthDocumentDetector(contextOf({ headers: { 'content-type': contentType }, body: fixture(name) }))).toEqual([]);
  });

  it('stays quiet when the monitor turned it off', () => {
    const context = contextOf(
      { headers: { 'content-type': 'application/json' }, body: fixture('simple-lying-200-database-disconnected.json') },
      { detectors: { healthDocument: false } },
    );
    expect(healthDocumentDetector(context)).toEqual([]);
  });

  it('ignores a truncated body, which cannot be parsed as a whole', () => {
    const context = contextOf({
      headers: { 'content-type': 'application/json' },
      body: fixture('spring-boot-3-db-redis-down.json').slice(0, 120),
      bodyTruncated: true,
    });
    expect(healthDocumentDetector(context)).toEqual([]);
  });
});
