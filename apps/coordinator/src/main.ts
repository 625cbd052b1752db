import 'reflect-metadata';
import { ConfigError } from './config/config-error';
import { loadCoordinatorConfig, type CoordinatorConfig } from './config/coordinator-config';
import { createCoordinatorApp } from './create-coordinator-app';
import { createRootLogger } from './logging/create-root-logger';

/** A shutdown that takes longer than this (a stuck job, Redis away) is cut short. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config: CoordinatorConfig;
  try {
    config = loadCoordinatorConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const issue of error.issues) process.stderr.write(`crosscheck-coordinator: ${issue.variable} ${issue.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createRootLogger(config);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  const app = await createCoordinatorApp(config, logger);
  // On SIGTERM/SIGINT Nest closes workers, queues and connections, then exits 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  await app.listen(config.port, config.host);
  logger.info({ address: config.host, port: config.port }, 'coordinator listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`crosscheck-coordinator: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
