/** Injection token of the root pino `Logger`; take `child({ component })` loggers from it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
