import { hostname } from 'node:os';
import { LOG_REDACTION } from '@crosscheck/checks';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { CoordinatorConfig } from '../config/coordinator-config';

/**
 * The process's root pino logger: JSON lines on stdout (or `destination`, for tests), ISO
 * timestamps, level names rather than numbers (what log pipelines index on). Everything else logs
 * through `child()` loggers carrying `{ component, monitorId, roundId, region }` fields. Secrets
 * never reach a line: URL userinfo and credential header values are redacted from fields,
 * messages and errors (`LOG_REDACTION` of `@crosscheck/checks`, shared with the agent).
 */
export function createRootLogger(config: Pick<CoordinatorConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'crosscheck-coordinator', hostname: hostname(), pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }), log: LOG_REDACTION.record },
    redact: { paths: [...LOG_REDACTION.paths], censor: LOG_REDACTION.censor },
    serializers: { err: (error: Error) => LOG_REDACTION.error(pino.stdSerializers.err(error)), msg: LOG_REDACTION.message },
  };
  return destination ? pino(options, destination) : pino(options);
}
