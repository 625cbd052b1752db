import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import type { CoordinatorConfig } from '../config/coordinator-config';

/**
 * The process's root pino logger: JSON lines on stdout, ISO timestamps, level names rather than
 * numbers (what log pipelines index on). Everything else logs through `child()` loggers carrying
 * `{ component, monitorId, roundId, region }` fields.
 */
export function createRootLogger(config: Pick<CoordinatorConfig, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'crosscheck-coordinator', hostname: hostname(), pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
