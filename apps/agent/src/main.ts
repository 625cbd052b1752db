#!/usr/bin/env node
import { hostname } from 'node:os';
import { Agent, type AgentRuntime } from './agent';
import { readAgentVersion } from './agent-version';
import { describeRedisTarget } from '@crosscheck/contract';
import { AgentConfigError, readAgentConfig, type AgentConfig } from './config/agent-config';
import { createLogger, type Logger } from './logging/logger';
import type { MetricsServer } from './metrics/metrics-server';

/** Exit codes: 0 clean stop, 1 bad configuration or a stop that had to abandon checks, 70 internal error. */
const EXIT = { ok: 0, failure: 1, software: 70 } as const;

/**
 * Starts the `/metrics` server when `METRICS_PORT` is set; prom-client is loaded only then, so an
 * agent without metrics neither loads nor measures anything for them. `agent()` is the agent once built.
 */
async function startMetrics(config: AgentConfig, logger: Logger, agent: () => Agent | undefined): Promise<MetricsServer | undefined> {
  if (config.metrics === undefined) return undefined;
  const { startMetricsServer } = await import('./metrics/metrics-server.js');
  const server = await startMetricsServer(
    {
      inFlight: () => agent()?.inFlight ?? 0,
      memory: () => {
        const budget = agent()?.memory;
        return budget && { usedBytes: budget.reservedBytes, limitBytes: budget.totalBytes };
      },
    },
    config.metrics,
  );
  logger.info({ host: config.metrics.host, port: server.port }, `serving metrics at http://${config.metrics.host}:${server.port}/metrics`);
  return server;
}

async function main(): Promise<void> {
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
  // The metrics server starts first (the agent reports to it), and reads the agent once it exists.
  const built: { agent?: Agent } = {};
  let metricsServer: MetricsServer | undefined;
  try {
    metricsServer = await startMetrics(config, logger, () => built.agent);
  } catch (error) {
    process.stderr.write(`crosscheck-agent: METRICS_PORT: cannot serve metrics on ${config.metrics?.host}:${config.metrics?.port}: ${(error as Error).message}\n`);
    process.exit(EXIT.failure);
  }
  const runtime: AgentRuntime = { logger, version, host: hostname(), pid: process.pid, ...(metricsServer ? { checkObserver: metricsServer.metrics } : {}) };
  const running = new Agent(config, runtime);
  built.agent = running;

  let stopping = false;
  const stop = (reason: string, failed: boolean): void => {
    if (stopping) {
      logger.warn({ reason }, 'second stop request: exiting now');
      process.exit(EXIT.failure);
    }
    stopping = true;
    logger.info({ reason }, 'stop requested');
    running.stop().then(
      async (report) => {
        await metricsServer?.close();
        process.exit(failed || !report.clean ? EXIT.failure : EXIT.ok);
      },
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
  running.start();
}

void main();
