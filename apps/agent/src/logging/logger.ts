import { LOG_REDACTION } from '@crosscheck/checks';
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/agent-config';

export type { Logger } from 'pino';

/**
 * The agent's logger: one JSON object per line on stdout, for the platform's log collector.
 * Errors are serialised under `err` with their stack. Secrets (URL userinfo, credential headers)
 * are redacted from every line, as `LOG_REDACTION` of `@crosscheck/checks` says.
 */
export function createLogger(level: LogLevel, base: Record<string, unknown>): Logger {
  return pino({
    level,
    base: { service: 'crosscheck-agent', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: LOG_REDACTION.record },
    redact: { paths: [...LOG_REDACTION.paths], censor: LOG_REDACTION.censor },
    serializers: { err: (error: Error) => LOG_REDACTION.error(pino.stdSerializers.err(error)), msg: LOG_REDACTION.message },
  });
}

/** A logger that writes nothing, for tests and tools that embed the agent. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
