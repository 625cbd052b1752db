#!/usr/bin/env node
import { hostname } from 'node:os';
import { Agent } from './agent';
import { readAgentVersion } from './agent-version';
import { describeRedisTarget } from '@crosscheck/contract';
import { AgentConfigError, readAgentConfig, type AgentConfig } from './config/agent-config';
import { createLogger } from './logging/logger';

/** Exit codes: 0 clean stop, 1 bad configuration or a stop that had to abandon checks, 70 internal error. */
const EXIT = { ok: 0, failure: 1, software: 70 } as const;

function main(): void {
  let config: AgentConfig;
  try {
    config = readAgentConfig();
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`crosscheck-agent: ${error.message}\n`);
      process.exit(EXIT.failure);
    }
    throw error;
  }

  const version = readAgentVersion();
  const logger = createLogger(config.logLevel, { region: config.region, agentId: config.agentId, version });
  const agent = new Agent(config, { logger, version, host: hostname(), pid: process.pid });

  let stopping = false;
  const stop = (reason: string, failed: boolean): void => {
    if (stopping) {
      logger.warn({ reason }, 'second stop request: exiting now');
      process.exit(EXIT.failure);
    }
    stopping = true;
    logger.info({ reason }, 'stop requested');
    agent.stop().then(
      (report) => process.exit(failed || !report.clean ? EXIT.failure : EXIT.ok),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(EXIT.software);
      },
    );
  };

  process.on('SIGTERM', () => stop('SIGTERM', false));
  process.on('SIGINT', () => stop('SIGINT', false));
  // A stray rejection is a bug to fix, not a reason to drop every check in flight.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  // After an uncaught exception the process state is unknown: drain what can be drained and exit non-zero.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; shutting down');
    stop('uncaughtException', true);
  });

  logger.info({ redis: describeRedisTarget(config.redis), concurrency: config.concurrency }, 'crosscheck agent starting');
  agent.start();
}

main();
