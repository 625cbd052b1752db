import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseCoordinatorConfig } from './coordinator-config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const minimal = { REDIS_URL: 'redis://127.0.0.1:6379', API_TOKEN: 'a-token-of-16-chars', SECRETS_KEY: KEY };

describe('parseCoordinatorConfig', () => {
  it('applies the defaults', () => {
    expect(parseCoordinatorConfig(minimal)).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      host: '0.0.0.0',
      apiToken: 'a-token-of-16-chars',
      secretsKey: KEY,
      minIntervalSeconds: 10,
      roundGraceMs: 5_000,
      resultHistoryMax: 1_000,
      resultHistoryDays: 7,
      resultHistoryMaxBytes: 4 * 1024 * 1024,
      logLevel: 'info',
      webhookRetryBaseMs: 1_000,
      webhookTimeoutMs: 10_000,
    });
  });

  it('reads every variable', () => {
    const config = parseCoordinatorConfig({
      ...minimal,
      PORT: '3999',
      HOST: '127.0.0.1',
      MIN_INTERVAL_SECONDS: '1',
      ROUND_GRACE_MS: '250',
      RESULT_HISTORY_MAX: '50',
      RESULT_HISTORY_DAYS: '1',
      RESULT_HISTORY_MAX_BYTES: '131072',
      LOG_LEVEL: 'warn',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    expect(config).toMatchObject({ port: 3999, host: '127.0.0.1', minIntervalSeconds: 1, roundGraceMs: 250, resultHistoryMax: 50, resultHistoryDays: 1, logLevel: 'warn' });
    expect(config).toMatchObject({ webhookRetryBaseMs: 50, webhookTimeoutMs: 2_000, resultHistoryMaxBytes: 131_072 });
  });

  it('reads previous secrets keys for rotation', () => {
    const old = Buffer.alloc(32, 1).toString('base64');
    expect(parseCoordinatorConfig({ ...minimal, SECRETS_KEY_PREVIOUS: ` ${old} ` }).secretsKeyPrevious).toEqual([old]);
  });

  it.each([
    { env: { API_TOKEN: minimal.API_TOKEN, SECRETS_KEY: KEY }, variable: 'REDIS_URL' },
    { env: { ...minimal, REDIS_URL: 'http://localhost:6379' }, variable: 'REDIS_URL' },
    { env: { REDIS_URL: minimal.REDIS_URL, SECRETS_KEY: KEY }, variable: 'API_TOKEN' },
    { env: { REDIS_URL: minimal.REDIS_URL, API_TOKEN: minimal.API_TOKEN }, variable: 'SECRETS_KEY' },
    { env: { ...minimal, SECRETS_KEY: 'not base64!' }, variable: 'SECRETS_KEY' },
    { env: { ...minimal, SECRETS_KEY: Buffer.alloc(16).toString('base64') }, variable: 'SECRETS_KEY' },
    { env: { ...minimal, SECRETS_KEY_PREVIOUS: `${KEY},short` }, variable: 'SECRETS_KEY_PREVIOUS' },
    { env: { ...minimal, API_TOKEN: 'short' }, variable: 'API_TOKEN' },
    { env: { ...minimal, API_TOKEN: '' }, variable: 'API_TOKEN' },
    { env: { ...minimal, PORT: 'http' }, variable: 'PORT' },
    { env: { ...minimal, PORT: '70000' }, variable: 'PORT' },
    { env: { ...minimal, MIN_INTERVAL_SECONDS: '0' }, variable: 'MIN_INTERVAL_SECONDS' },
    { env: { ...minimal, RESULT_HISTORY_MAX_BYTES: '1000' }, variable: 'RESULT_HISTORY_MAX_BYTES' },
    { env: { ...minimal, LOG_LEVEL: 'loud' }, variable: 'LOG_LEVEL' },
    { env: { ...minimal, WEBHOOK_RETRY_BASE_MS: '0' }, variable: 'WEBHOOK_RETRY_BASE_MS' },
    { env: { ...minimal, WEBHOOK_TIMEOUT_MS: '50' }, variable: 'WEBHOOK_TIMEOUT_MS' },
  ])('names $variable when it is wrong', ({ env, variable }) => {
    let error: unknown;
    try {
      parseCoordinatorConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable)).toEqual([variable]);
    expect((error as ConfigError).message).toContain(variable);
  });
});
