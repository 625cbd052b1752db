import { z } from 'zod';
import { decodeSecretsKey } from '../secrets/secret-box';
import { ConfigError } from './config-error';

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Base of the webhook retry backoff (ms): the first retry comes after half of it to all of it. */
export const DEFAULT_WEBHOOK_RETRY_BASE_MS = 1_000;
/** How long one webhook delivery attempt may take, connection through response headers and body (ms). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Bytes of stored results per monitor: 1,000 results of up to 4 KiB (an ordinary one is 1-2 KiB). */
export const DEFAULT_RESULT_HISTORY_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The coordinator's environment, validated once at boot. This file is the only place that reads
 * `process.env`; everything else receives the typed {@link CoordinatorConfig}.
 */
const environmentSchema = z.object({
  REDIS_URL: z
    .string({ error: 'is required (e.g. redis://127.0.0.1:6379)' })
    .min(1, 'is required (e.g. redis://127.0.0.1:6379)')
    .refine(isRedisUrl, 'must be a redis:// or rediss:// URL'),
  PORT: integer(0, 65_535).default(3000),
  // 0.0.0.0 so the API is reachable from outside a container; set 127.0.0.1 on a shared host.
  HOST: z.string().min(1).default('0.0.0.0'),
  API_TOKEN: z
    .string({ error: 'is required: the bearer token that protects /v1 (at least 16 characters)' })
    .min(16, 'must be at least 16 characters'),
  SECRETS_KEY: z
    .string({ error: 'is required: 32 random bytes, base64, e.g. `openssl rand -base64 32` (encrypts secrets at rest)' })
    .refine((value) => decodeSecretsKey(value) !== null, 'must be 32 bytes, base64 encoded, e.g. `openssl rand -base64 32`'),
  // Comma-separated previous keys: values sealed under them still open while they are re-sealed.
  SECRETS_KEY_PREVIOUS: z
    .string()
    .refine(
      (value) => value.split(',').every((part) => decodeSecretsKey(part) !== null),
      'must be a comma-separated list of 32-byte base64 keys',
    )
    .optional(),
  MIN_INTERVAL_SECONDS: integer(1, 86_400).default(10),
  ROUND_GRACE_MS: integer(0, 600_000).default(5_000),
  RESULT_HISTORY_MAX: integer(1, 1_000_000).default(1_000),
  RESULT_HISTORY_DAYS: integer(1, 3_650).default(7),
  // At least 64 KiB: a few results at the 16 KiB cap of one stored result.
  RESULT_HISTORY_MAX_BYTES: integer(64 * 1024, 1024 * 1024 * 1024).default(DEFAULT_RESULT_HISTORY_MAX_BYTES),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  WEBHOOK_RETRY_BASE_MS: integer(1, 600_000).default(DEFAULT_WEBHOOK_RETRY_BASE_MS),
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(DEFAULT_WEBHOOK_TIMEOUT_MS),
});

/** Everything the coordinator needs to know about its environment, typed and checked. */
export interface CoordinatorConfig {
  redisUrl: string;
  port: number;
  host: string;
  apiToken: string;
  /** Key (base64 of 32 bytes) that encrypts secrets at rest (AES-256-GCM). */
  secretsKey: string;
  /** Earlier keys (base64), still accepted for reading while values are re-sealed under {@link secretsKey}. */
  secretsKeyPrevious?: string[];
  /** Smallest `intervalSeconds` a monitor may ask for. */
  minIntervalSeconds: number;
  /** Added to a monitor's timeout to give a round's deadline: time for the agent and the queues. */
  roundGraceMs: number;
  /** Results kept per monitor (approximately: Redis trims streams by whole nodes). */
  resultHistoryMax: number;
  /** Results older than this many days are trimmed from a monitor's history. */
  resultHistoryDays: number;
  /**
   * Bytes of stored results per monitor (the records' JSON), oldest trimmed first; besides the
   * count and the age. {@link DEFAULT_RESULT_HISTORY_MAX_BYTES} when left out (configs built in code).
   */
  resultHistoryMaxBytes?: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * Base of the webhook retry backoff (ms). Optional so that configs built in code (tests) may
   * leave it out; {@link DEFAULT_WEBHOOK_RETRY_BASE_MS} applies then.
   */
  webhookRetryBaseMs?: number;
  /** Time limit of one webhook delivery attempt (ms); {@link DEFAULT_WEBHOOK_TIMEOUT_MS} when left out. */
  webhookTimeoutMs?: number;
}

/**
 * Validates an environment into a {@link CoordinatorConfig}.
 * Throws {@link ConfigError} naming every variable at fault.
 */
export function parseCoordinatorConfig(environment: Readonly<Record<string, string | undefined>>): CoordinatorConfig {
  // Empty strings count as unset, the way `FOO= node main.js` is usually meant.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message })),
    );
  }
  const env = parsed.data;
  return {
    redisUrl: env.REDIS_URL,
    port: env.PORT,
    host: env.HOST,
    apiToken: env.API_TOKEN,
    secretsKey: env.SECRETS_KEY.trim(),
    ...(env.SECRETS_KEY_PREVIOUS !== undefined ? { secretsKeyPrevious: env.SECRETS_KEY_PREVIOUS.split(',').map((key) => key.trim()) } : {}),
    minIntervalSeconds: env.MIN_INTERVAL_SECONDS,
    roundGraceMs: env.ROUND_GRACE_MS,
    resultHistoryMax: env.RESULT_HISTORY_MAX,
    resultHistoryDays: env.RESULT_HISTORY_DAYS,
    resultHistoryMaxBytes: env.RESULT_HISTORY_MAX_BYTES,
    logLevel: env.LOG_LEVEL,
    webhookRetryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
  };
}

/** Reads and validates this process's environment. */
export function loadCoordinatorConfig(): CoordinatorConfig {
  return parseCoordinatorConfig(process.env);
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'redis:' || url.protocol === 'rediss:';
  } catch {
    return false;
  }
}
