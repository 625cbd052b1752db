import type { LogFn, Logger } from 'pino';

/** What a check logs through: pino's methods, without its child-logger machinery. */
export type CheckLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'isLevelEnabled'>;

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * A child of `parent` with `bindings()`, made the first time a line is actually written. pino's
 * `child()` serialises (and redacts) its bindings when called, several µs per check; at the
 * agent's usual level most checks write nothing, so most never pay for it.
 */
export function lazyChildLogger(parent: Logger, bindings: () => Record<string, unknown>): CheckLogger {
  let child: Logger | undefined;
  const method = (level: Level): LogFn =>
    ((...args: Parameters<LogFn>) => {
      if (!parent.isLevelEnabled(level)) return;
      child ??= parent.child(bindings());
      child[level](...args);
    }) as LogFn;
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    isLevelEnabled: (level) => parent.isLevelEnabled(level),
  };
}
